import type { LedgerMigration } from './ledger-migration.js';

/** Column types that differ between the two databases; everything else is common SQL. */
interface Dialect { big: string; real: string }
const SQLITE: Dialect = { big: 'INTEGER', real: 'REAL' };
const POSTGRES: Dialect = { big: 'BIGINT', real: 'DOUBLE PRECISION' };

/**
 * The learning loop's tables in the ledger database, tracked in `learning_migrations` (append-only,
 * like the ledger's own list). JSON columns (considered, context, blob) are text in both databases:
 * they are read back whole, never queried inside.
 */
const learningMigrations = (d: Dialect): readonly LedgerMigration[] => [
  {
    version: 1,
    name: 'decisions, feedback, policy versions',
    statements: [
      `CREATE TABLE decisions (
        decision_id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL,
        ts ${d.big} NOT NULL,
        tenant TEXT NOT NULL,
        route TEXT NOT NULL,
        policy TEXT NOT NULL,
        policy_version TEXT NOT NULL,
        chosen TEXT NOT NULL,
        served TEXT,
        propensity ${d.real} NOT NULL,
        considered TEXT NOT NULL,
        context TEXT NOT NULL,
        task_type TEXT NOT NULL,
        cost_micro_usd ${d.big} NOT NULL,
        latency_ms INTEGER NOT NULL,
        status INTEGER NOT NULL
      )`,
      'CREATE INDEX decisions_tenant_ts ON decisions (tenant, ts)',
      'CREATE INDEX decisions_route_ts ON decisions (route, ts)',
      `CREATE TABLE feedback (
        decision_id TEXT NOT NULL,
        tenant TEXT NOT NULL,
        metric TEXT NOT NULL,
        value ${d.real} NOT NULL,
        source TEXT NOT NULL,
        ts ${d.big} NOT NULL,
        comment TEXT,
        label TEXT,
        idempotency_key TEXT NOT NULL DEFAULT ''
      )`,
      // The duplicate rule of the contract: same decision, metric, source and idempotency key.
      'CREATE UNIQUE INDEX feedback_dedup ON feedback (decision_id, metric, source, idempotency_key)',
      'CREATE INDEX feedback_tenant_ts ON feedback (tenant, ts)',
      `CREATE TABLE policy_versions (
        id TEXT PRIMARY KEY,
        route TEXT NOT NULL,
        tenant TEXT NOT NULL,
        kind TEXT NOT NULL,
        created ${d.big} NOT NULL,
        parent TEXT,
        status TEXT NOT NULL,
        blob TEXT NOT NULL
      )`,
      // At most one active version per (route, tenant), enforced by the database itself.
      `CREATE UNIQUE INDEX policy_versions_one_active ON policy_versions (route, tenant) WHERE status = 'active'`,
      'CREATE INDEX policy_versions_route ON policy_versions (route, tenant, created)',
    ],
  },
  {
    version: 2,
    name: 'feedback target (the arm a provider error is credited to)',
    statements: ['ALTER TABLE feedback ADD COLUMN target TEXT'],
  },
];

export const LEARNING_MIGRATIONS_TABLE = 'learning_migrations';
export const sqliteLearningMigrations = learningMigrations(SQLITE);
export const postgresLearningMigrations = learningMigrations(POSTGRES);
