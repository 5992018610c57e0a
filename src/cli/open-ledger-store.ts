import type { LedgerStore } from '../spec/ledger.js';
import type { Config } from '../config/config-schema.js';
import { createPostgresLedgerStore } from '../ledger/postgres-ledger-store.js';
import { createWorkerLedgerStore } from '../ledger/worker-ledger-store.js';

/** The ledger the config asks for: SQLite (the embedded default) or Postgres. */
export const openLedgerStore = async (ledger: Config['ledger']): Promise<LedgerStore> => {
  if (ledger.driver === 'postgres') {
    if (!ledger.url) throw new Error('ledger.url is required when ledger.driver is postgres');
    return createPostgresLedgerStore(ledger.url);
  }
  // SQLite runs in its own thread so that a batch insert never blocks the request path.
  return createWorkerLedgerStore(ledger.path);
};
