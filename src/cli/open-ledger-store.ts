import type { Config } from '../config/config-schema.js';
import { createPostgresLearningStore } from '../ledger/postgres-learning-store.js';
import { createPostgresLedgerStore } from '../ledger/postgres-ledger-store.js';
import { createWorkerLedgerStore, type LedgerWithLearning } from '../ledger/worker-ledger-store.js';

/** The ledger the config asks for: SQLite (the embedded default) or Postgres, with its learning tables. */
export const openLedgerStore = async (ledger: Config['ledger']): Promise<LedgerWithLearning> => {
  if (ledger.driver === 'postgres') {
    if (!ledger.url) throw new Error('ledger.url is required when ledger.driver is postgres');
    const store = await createPostgresLedgerStore(ledger.url);
    const learning = await createPostgresLearningStore(ledger.url).catch(async (err: unknown) => {
      await store.close();
      throw err;
    });
    return { ...store, learning, close: async () => { await Promise.all([store.close(), learning.close()]); } };
  }
  // SQLite runs in its own thread so that a batch insert never blocks the request path.
  return createWorkerLedgerStore(ledger.path, { writerNice: ledger.writerNice, writerIdle: ledger.writerIdle });
};
