import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { runLearningStoreConformance } from './learning-store-conformance.js';
import { createSqliteLearningStore } from './sqlite-learning-store.js';
import { openLedgerDatabase } from './sqlite-ledger-store.js';

runLearningStoreConformance('sqlite :memory:', async () => createSqliteLearningStore(openLedgerDatabase(':memory:')));

test('learning tables keep their own migration list beside the ledger one', () => {
  const db = openLedgerDatabase(':memory:');
  createSqliteLearningStore(db);
  createSqliteLearningStore(db);
  const versions = (table: string): number[] => (db.prepare(`SELECT version FROM ${table}`).all() as { version: number }[]).map((r) => r.version);
  assert.deepEqual(versions('ledger_migrations'), [1]);
  assert.deepEqual(versions('learning_migrations'), [1]);
  db.close();
});

test('the database refuses a second active version for one route and tenant', () => {
  const db = new Database(':memory:');
  createSqliteLearningStore(db);
  const insert = db.prepare("INSERT INTO policy_versions (id, route, tenant, kind, created, parent, status, blob) VALUES (?, 'r', '*', 'k', 1, NULL, 'active', '{}')");
  insert.run('a');
  assert.throws(() => insert.run('b'), /UNIQUE/);
  db.close();
});
