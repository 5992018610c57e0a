import { configSchema } from '../config/config-schema.js';
import type { DecisionLog, LogFilter } from '../learning/ope-source.js';
import { openLedgerStore } from './open-ledger-store.js';

/**
 * The decision log and its feedback from the ledger database: a SQLite path or a postgres:// URL.
 * Feedback is read from the window's start on (it arrives after its decision) and kept for the
 * decisions read.
 */
export const readDecisionLogFromDb = async (db: string, filter: LogFilter): Promise<DecisionLog> => {
  const postgres = /^postgres(ql)?:\/\//.test(db);
  const { ledger } = configSchema.parse({ ledger: postgres ? { driver: 'postgres', url: db } : { driver: 'sqlite', path: db } });
  const store = await openLedgerStore(ledger);
  try {
    const decisions = await store.learning.listDecisions({ route: filter.route, tenant: filter.tenant, from: filter.from, to: filter.to });
    const ids = new Set(decisions.map((d) => d.decisionId));
    const feedback = (await store.learning.listFeedback({ tenant: filter.tenant, from: filter.from })).filter((f) => ids.has(f.decisionId));
    return { decisions, feedback };
  } finally {
    await store.close();
  }
};
