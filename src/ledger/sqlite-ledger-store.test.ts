import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { makeLedgerRow, runLedgerStoreConformance } from './ledger-store-conformance.js';
import { createSqliteLedgerStore } from './sqlite-ledger-store.js';
import { migrateSqlite, sqliteMigrations } from './sqlite-migrations.js';

runLedgerStoreConformance('sqlite :memory:', async () => createSqliteLedgerStore(':memory:'));

const withTempDir = async (fn: (dir: string) => Promise<void>): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-ledger-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

test('a file database uses WAL and synchronous=NORMAL, and survives a reopen', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'ledger.db');
    const store = createSqliteLedgerStore(path);
    await store.insert([makeLedgerRow({ requestId: 'a' })]);
    await store.close();
    const db = new Database(path);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
    const again = createSqliteLedgerStore(path);
    assert.equal(await again.count(), 1);
    await again.close();
  });
});

test('migrations are recorded and applied once', async () => {
  const db = new Database(':memory:');
  assert.equal(migrateSqlite(db), sqliteMigrations.length);
  assert.equal(migrateSqlite(db), sqliteMigrations.length);
  const applied = db.prepare('SELECT version FROM ledger_migrations ORDER BY version').all() as { version: number }[];
  assert.deepEqual(applied.map((r) => r.version), sqliteMigrations.map((m) => m.version));
  const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ledger'").all() as { name: string }[]).map((r) => r.name);
  assert.ok(indexes.includes('ledger_ts') && indexes.includes('ledger_tenant_ts'), indexes.join(','));
  db.close();
});

test('a database migrated by a newer build is refused, not corrupted', () => {
  const db = new Database(':memory:');
  migrateSqlite(db);
  db.prepare('INSERT INTO ledger_migrations (version, name, applied_at) VALUES (999, ?, 0)').run('future');
  assert.throws(() => migrateSqlite(db), /newer than this build/);
  db.close();
});

test('read-only mode reads an existing ledger and refuses writes', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'ledger.db');
    const writer = createSqliteLedgerStore(path);
    await writer.insert([makeLedgerRow({ requestId: 'a', costMicroUsd: 9 })]);
    const reader = createSqliteLedgerStore(path, { readonly: true });
    assert.deepEqual((await reader.spend({ groupBy: [] })).map((r) => r.costMicroUsd), [9]);
    await assert.rejects(reader.insert([makeLedgerRow({ requestId: 'b' })]), /read-only/);
    await reader.close();
    await writer.close();
    assert.throws(() => createSqliteLedgerStore(join(dir, 'missing.db'), { readonly: true }));
  });
});

test('a closed store rejects calls instead of crashing the process', async () => {
  const store = createSqliteLedgerStore(':memory:');
  await store.close();
  await store.close();
  await assert.rejects(store.count(), /closed/);
});

test('spend uses the tenant+ts index for tenant-restricted, time-bounded reports', () => {
  const db = new Database(':memory:');
  migrateSqlite(db);
  const plan = db.prepare('EXPLAIN QUERY PLAN SELECT model, sum(cost_micro_usd) FROM ledger WHERE ts >= ? AND ts < ? AND tenant = ? GROUP BY model').all(0, 1, 'a') as { detail: string }[];
  assert.match(plan.map((p) => p.detail).join('\n'), /ledger_tenant_ts/);
  db.close();
});
