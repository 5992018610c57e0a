import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeLedgerRow } from './ledger-store-conformance.js';
import { createPendingRows } from './pending-rows.js';

const ids = (rows: readonly { requestId: string }[]): string[] => rows.map((r) => r.requestId);

test('sequence numbers survive takes, failures and trims', () => {
  const q = createPendingRows<ReturnType<typeof makeLedgerRow>>();
  for (let i = 0; i < 5; i++) q.push(makeLedgerRow({ requestId: `r${i}` }));
  assert.equal(q.written, 5);
  assert.equal(q.oldestSeq(), 0);
  assert.deepEqual(ids(q.take(2)), ['r0', 'r1']);
  assert.equal(q.oldestSeq(), 2, 'in-flight rows are not waiting');
  q.failed();
  assert.equal(q.oldestSeq(), 0, 'a failed batch is first again');
  assert.equal(q.size, 5);
  // Trimming drops the oldest waiting rows: the failed batch first.
  assert.deepEqual(ids(q.trim(4)), ['r0']);
  assert.equal(q.oldestSeq(), 1);
  assert.deepEqual(ids(q.take(10)), ['r1'], 'the retry batch is taken alone');
  // While it is in flight, trimming spares it and drops buffered rows instead.
  assert.deepEqual(ids(q.trim(2)), ['r2', 'r3']);
  q.done();
  assert.equal(q.oldestSeq(), 4);
  assert.deepEqual(ids(q.take(10)), ['r4']);
  q.done();
  assert.equal(q.oldestSeq(), Number.POSITIVE_INFINITY);
  assert.equal(q.size, 0);
  assert.equal(q.written, 5);
});
