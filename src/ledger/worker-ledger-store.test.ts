import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDecision, runLearningStoreConformance } from './learning-store-conformance.js';
import { makeLedgerRow, runLedgerStoreConformance } from './ledger-store-conformance.js';
import { createWorkerLedgerStore } from './worker-ledger-store.js';

runLedgerStoreConformance('sqlite in a worker thread', async () => createWorkerLedgerStore(':memory:'));
runLearningStoreConformance('sqlite in a worker thread', async () => (await createWorkerLedgerStore(':memory:')).learning);

test('a ledger path that cannot be opened fails at start-up with the path in the message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-worker-'));
  await assert.rejects(createWorkerLedgerStore(join(dir, 'missing-dir', 'x.db')), /missing-dir/);
});

test('a batch larger than one message to the thread is stored whole, and a retried batch is not counted twice', async () => {
  const store = await createWorkerLedgerStore(':memory:');
  const rows = Array.from({ length: 300 }, (_, i) => makeLedgerRow({ requestId: `r${i}` }));
  await store.insert(rows);
  await store.insert(rows.slice(100));
  assert.equal(await store.count(), 300);
  const decisions = Array.from({ length: 150 }, (_, i) => makeDecision({ decisionId: `d${i}`, requestId: `r${i}` }));
  await store.learning.insertDecisions(decisions);
  await store.learning.insertDecisions(decisions);
  assert.equal((await store.learning.listDecisions({ limit: 1000 })).length, 150);
  await store.close();
});
