import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
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

test('the SQLite thread runs at writerNice where its priority can be raised again, back at normal once it is busy, low again once calm', async () => {
  // Every insert ends a window; any window counts as busy while low, and as calm while normal.
  const store = await createWorkerLedgerStore(':memory:', { writerNice: 10, priority: { windowMs: 0, behindShare: -1, caughtUpShare: 2, caughtUpWindows: 1 } });
  const base = getPriority(0);
  const privileged = process.platform === 'linux' && process.getuid?.() === 0 && base < 10;
  try {
    const low = await store.writerNice();
    if (privileged) assert.equal(low, 10);
    else assert.ok(low === base || low === base + 1, `unprivileged: stays near the process's own nice (${base}), got ${low}`);
    await store.insert([makeLedgerRow({ requestId: 'a' })]);
    assert.equal(await store.writerNice(), privileged ? base : low, 'behind: normal priority');
    await store.insert([makeLedgerRow({ requestId: 'b' })]);
    assert.equal(await store.writerNice(), low, 'caught up: low again');
    assert.equal(await store.count(), 2);
  } finally {
    await store.close();
  }
});
