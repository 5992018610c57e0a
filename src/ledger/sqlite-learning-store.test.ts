import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { runLearningStoreConformance } from './learning-store-conformance.js';
import { createSqliteLearningStore } from './sqlite-learning-store.js';
import { openLedgerDatabase } from './sqlite-ledger-store.js';
import { LEARNING_MIGRATIONS_TABLE, sqliteLearningMigrations } from './learning-migrations.js';
import { migrateSqlite } from './sqlite-migrations.js';

runLearningStoreConformance('sqlite :memory:', async () => createSqliteLearningStore(openLedgerDatabase(':memory:')));

test('learning tables keep their own migration list beside the ledger one', () => {
  const db = openLedgerDatabase(':memory:');
  createSqliteLearningStore(db);
  createSqliteLearningStore(db);
  const versions = (table: string): number[] => (db.prepare(`SELECT version FROM ${table}`).all() as { version: number }[]).map((r) => r.version);
  assert.deepEqual(versions('ledger_migrations'), [1]);
  assert.deepEqual(versions('learning_migrations'), [1, 2]);
  db.close();
});

test('a database made before feedback had a target is migrated and keeps its rows', () => {
  const db = openLedgerDatabase(':memory:');
  migrateSqlite(db, sqliteLearningMigrations.slice(0, 1), Date.now, LEARNING_MIGRATIONS_TABLE);
  db.prepare("INSERT INTO feedback (decision_id, tenant, metric, value, source, ts) VALUES ('d', 't', 'thumbs', 1, 'user', 5)").run();
  const store = createSqliteLearningStore(db);
  return store.listFeedback({}).then((rows) => {
    assert.deepEqual(rows.map((r) => [r.decisionId, r.value, r.target]), [['d', 1, undefined]]);
    db.close();
  });
});

test('the database refuses a second active version for one route and tenant', () => {
  const db = new Database(':memory:');
  createSqliteLearningStore(db);
  const insert = db.prepare("INSERT INTO policy_versions (id, route, tenant, kind, created, parent, status, blob) VALUES (?, 'r', '*', 'k', 1, NULL, 'active', '{}')");
  insert.run('a');
  assert.throws(() => insert.run('b'), /UNIQUE/);
  db.close();
});
