import type Database from 'better-sqlite3';
import type { LedgerMigration } from './ledger-migration.js';

/**
 * Append-only: a released migration is never edited, a change is a new version.
 * Integers are SQLite INTEGER (64-bit); tags are JSON text read with json_extract.
 */
export const sqliteMigrations: readonly LedgerMigration[] = [
  {
    version: 1,
    name: 'create ledger',
    statements: [
      `CREATE TABLE ledger (
        id INTEGER PRIMARY KEY,
        request_id TEXT NOT NULL,
        decision_id TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        tenant TEXT NOT NULL,
        api_key_id TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        route TEXT NOT NULL,
        target TEXT NOT NULL,
        model TEXT NOT NULL,
        provider TEXT NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cached_input_tokens INTEGER NOT NULL,
        cache_write_tokens INTEGER NOT NULL,
        reasoning_tokens INTEGER NOT NULL,
        cost_micro_usd INTEGER NOT NULL,
        latency_ms INTEGER NOT NULL,
        ttft_ms INTEGER,
        outcome TEXT NOT NULL,
        error_code TEXT,
        stream INTEGER NOT NULL,
        policy TEXT NOT NULL,
        policy_version TEXT NOT NULL,
        config_hash TEXT NOT NULL
      )`,
      // One row per (request, attempt): makes a retried batch idempotent (ON CONFLICT DO NOTHING).
      'CREATE UNIQUE INDEX ledger_request_attempt ON ledger (request_id, attempt)',
      'CREATE INDEX ledger_ts ON ledger (ts)',
      'CREATE INDEX ledger_tenant_ts ON ledger (tenant, ts)',
    ],
  },
];

const migrationsTable = (table: string): string => `CREATE TABLE IF NOT EXISTS ${table} (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL
)`;

/**
 * Applies pending migrations, each in its own transaction; refuses a database newer than this build.
 * `table` tracks one list's versions: the learning tables keep their own list (learning_migrations),
 * so the ledger's and the learning loop's schemas evolve without sharing version numbers.
 */
export const migrateSqlite = (db: Database.Database, migrations: readonly LedgerMigration[] = sqliteMigrations, now: () => number = Date.now, table = 'ledger_migrations'): number => {
  db.exec(migrationsTable(table));
  const row = db.prepare(`SELECT max(version) AS v FROM ${table}`).get() as { v: number | null };
  const current = row.v ?? 0;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw new Error(`ledger schema version ${current} is newer than this build understands (${latest}); upgrade switchyard`);
  }
  const record = db.prepare(`INSERT INTO ${table} (version, name, applied_at) VALUES (?, ?, ?)`);
  const applied = db.prepare(`SELECT 1 FROM ${table} WHERE version = ?`);
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    // IMMEDIATE takes the write lock first; re-checking inside it lets two processes start at once.
    db.transaction(() => {
      if (applied.get(m.version)) return;
      for (const sql of m.statements) db.exec(sql);
      record.run(m.version, m.name, now());
    }).immediate();
  }
  return latest;
};
