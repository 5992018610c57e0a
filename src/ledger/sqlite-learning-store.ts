import type Database from 'better-sqlite3';
import type { LearningStore, PolicyVersionRecord } from '../spec/learning.js';
import { decisionValues, feedbackValues, policyVersionValues, toDecision, toFeedback, toPolicyVersion, type DbRow, type SqlValue } from './learning-columns.js';
import { LEARNING_MIGRATIONS_TABLE, sqliteLearningMigrations } from './learning-migrations.js';
import { ACTIVATE_SQL, HAS_FEEDBACK_SQL, RETIRE_ACTIVE_SQL, insertPolicyVersionSql, insertSql, listDecisionsQuery, listFeedbackQuery, listPolicyVersionsQuery, type Query } from './learning-queries.js';
import { migrateSqlite } from './sqlite-migrations.js';

/**
 * Decisions, feedback and policy versions in the SQLite ledger file (same connection as the ledger,
 * so in the gateway it runs on the ledger's worker thread). Synchronous under the hood.
 */
export const createSqliteLearningStore = (db: Database.Database, options: { readonly?: boolean } = {}): LearningStore => {
  if (!options.readonly) migrateSqlite(db, sqliteLearningMigrations, Date.now, LEARNING_MIGRATIONS_TABLE);
  const insertDecision = db.prepare(insertSql('sqlite', 'decisions', 1));
  const insertFeedback = db.prepare(insertSql('sqlite', 'feedback', 1));
  const insertVersion = db.prepare(insertPolicyVersionSql('sqlite'));
  const retire = db.prepare(RETIRE_ACTIVE_SQL.sqlite);
  const activate = db.prepare(ACTIVATE_SQL.sqlite);
  const hasFeedback = db.prepare(HAS_FEEDBACK_SQL.sqlite);
  const getDecision = db.prepare('SELECT * FROM decisions WHERE decision_id = ?');
  const getVersion = db.prepare('SELECT * FROM policy_versions WHERE id = ?');
  const all = (q: Query): DbRow[] => db.prepare(q.sql).all(...q.params) as DbRow[];
  const version = (id: string): PolicyVersionRecord | undefined => {
    const row = getVersion.get(id) as DbRow | undefined;
    return row ? toPolicyVersion(row) : undefined;
  };
  const insertMany = db.transaction((stmt: Database.Statement, rows: SqlValue[][]) => {
    for (const r of rows) stmt.run(r);
  });
  const saveVersion = db.transaction((v: PolicyVersionRecord) => {
    if (v.status === 'active') retire.run(v.route, v.tenant, v.id);
    insertVersion.run(policyVersionValues(v));
  });
  const activateVersion = db.transaction((id: string): PolicyVersionRecord => {
    const v = version(id);
    if (!v) throw new Error(`policy version ${id} does not exist`);
    retire.run(v.route, v.tenant, id);
    activate.run(id);
    return { ...v, status: 'active' };
  });
  return {
    async insertDecisions(rows) {
      insertMany(insertDecision, rows.map(decisionValues));
    },
    async insertFeedback(rows) {
      insertMany(insertFeedback, rows.map(feedbackValues));
    },
    async getDecision(id) {
      const row = getDecision.get(id) as DbRow | undefined;
      return row ? toDecision(row) : undefined;
    },
    async hasFeedback(k) {
      return hasFeedback.get(k.decisionId, k.metric, k.source, k.idempotencyKey ?? '') !== undefined;
    },
    async listDecisions(q) {
      return all(listDecisionsQuery('sqlite', q)).map(toDecision);
    },
    async listFeedback(q) {
      return all(listFeedbackQuery('sqlite', q)).map(toFeedback);
    },
    async savePolicyVersion(v) {
      saveVersion(v);
    },
    async getPolicyVersion(id) {
      return version(id);
    },
    async listPolicyVersions(q) {
      return all(listPolicyVersionsQuery('sqlite', q)).map(toPolicyVersion);
    },
    async activatePolicyVersion(id) {
      return activateVersion(id);
    },
  };
};
