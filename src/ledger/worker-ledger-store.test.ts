import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLearningStoreConformance } from './learning-store-conformance.js';
import { runLedgerStoreConformance } from './ledger-store-conformance.js';
import { createWorkerLedgerStore } from './worker-ledger-store.js';

runLedgerStoreConformance('sqlite in a worker thread', async () => createWorkerLedgerStore(':memory:'));
runLearningStoreConformance('sqlite in a worker thread', async () => (await createWorkerLedgerStore(':memory:')).learning);

test('a ledger path that cannot be opened fails at start-up with the path in the message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-worker-'));
  await assert.rejects(createWorkerLedgerStore(join(dir, 'missing-dir', 'x.db')), /missing-dir/);
});
