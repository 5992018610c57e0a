import type pg from 'pg';
import type { LedgerMigration } from './ledger-migration.js';

/**
 * Append-only, like the SQLite list. Money and timestamps are BIGINT (read back through
 * `toSafeNumber`), token counts INTEGER, tags JSONB. Tables are created unqualified, so they land
 * in the first schema of the connection's search_path (tests use a throwaway schema).
 */
export const postgresMigrations: readonly LedgerMigration[] = [
  {
    version: 1,
    name: 'create ledger',
    statements: [
      `CREATE TABLE ledger (
        id BIGSERIAL PRIMARY KEY,
        request_id TEXT NOT NULL,
        decision_id TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        ts BIGINT NOT NULL,
        tenant TEXT NOT NULL,
        api_key_id TEXT NOT NULL,
        tags JSONB NOT NULL DEFAULT '{}'::jsonb,
        route TEXT NOT NULL,
        target TEXT NOT NULL,
        model TEXT NOT NULL,
        provider TEXT NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cached_input_tokens INTEGER NOT NULL,
        cache_write_tokens INTEGER NOT NULL,
        reasoning_tokens INTEGER NOT NULL,
        cost_micro_usd BIGINT NOT NULL,
        latency_ms INTEGER NOT NULL,
        ttft_ms INTEGER,
        outcome TEXT NOT NULL,
        error_code TEXT,
        stream BOOLEAN NOT NULL,
        policy TEXT NOT NULL,
        policy_version TEXT NOT NULL,
        config_hash TEXT NOT NULL
      )`,
      // One row per (request, attempt): a batch retried after an ambiguous commit error is a no-op.
      'CREATE UNIQUE INDEX ledger_request_attempt ON ledger (request_id, attempt)',
      'CREATE INDEX ledger_ts ON ledger (ts)',
      'CREATE INDEX ledger_tenant_ts ON ledger (tenant, ts)',
    ],
  },
];

/** Any fixed number: replicas starting together serialise their migrations on this advisory lock. */
const MIGRATION_LOCK = 0x5377_4c65; // "SwLe"

/**
 * Applies pending migrations in one transaction under an advisory lock; refuses a newer schema.
 * `table` tracks one list's versions (the learning tables keep their own: learning_migrations).
 */
export const migratePostgres = async (client: pg.ClientBase, migrations: readonly LedgerMigration[] = postgresMigrations, now: () => number = Date.now, table = 'ledger_migrations'): Promise<number> => {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const { rows } = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${table}`);
    const current = rows[0]?.v ?? 0;
    if (current > latest) {
      throw new Error(`ledger schema version ${current} is newer than this build understands (${latest}); upgrade switchyard`);
    }
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= current) continue;
      for (const sql of m.statements) await client.query(sql);
      await client.query(`INSERT INTO ${table} (version, name, applied_at) VALUES ($1, $2, $3)`, [m.version, m.name, now()]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return latest;
};
