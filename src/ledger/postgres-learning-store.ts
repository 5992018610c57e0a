import type pg from 'pg';
import type { LearningStore, PolicyVersionRecord } from '../spec/learning.js';
import { DECISION_COLUMNS, FEEDBACK_COLUMNS, decisionValues, feedbackValues, policyVersionValues, toDecision, toFeedback, toPolicyVersion, type DbRow, type SqlValue } from './learning-columns.js';
import { LEARNING_MIGRATIONS_TABLE, postgresLearningMigrations } from './learning-migrations.js';
import { ACTIVATE_SQL, HAS_FEEDBACK_SQL, LOCK_ACTIVE_SQL, RETIRE_ACTIVE_SQL, insertPolicyVersionSql, insertSql, listDecisionsQuery, listFeedbackQuery, listPolicyVersionsQuery, type Query } from './learning-queries.js';
import { createPostgresPool, type PostgresLedgerStoreOptions } from './postgres-ledger-store.js';
import { migratePostgres } from './postgres-migrations.js';

export interface PostgresLearningStore extends LearningStore {
  close(): Promise<void>;
}

/** Runs `fn` in one transaction on one connection. */
const inTransaction = async <T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => { broken = e; });
    throw err;
  } finally {
    client.release(broken);
  }
};

/** Inserts in multi-row statements (≤ 65,535 parameters each), all in one transaction. */
const insertBatch = async (pool: pg.Pool, table: 'decisions' | 'feedback', width: number, rows: SqlValue[][]): Promise<void> => {
  if (rows.length === 0) return;
  const per = Math.floor(65_535 / width);
  await inTransaction(pool, async (client) => {
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      await client.query(insertSql('postgres', table, chunk.length), chunk.flat());
    }
  });
};

/** The learning tables in the Postgres ledger database (its own small pool). */
export const createPostgresLearningStore = async (url: string, options: PostgresLedgerStoreOptions = {}): Promise<PostgresLearningStore> => {
  const pool = createPostgresPool(url, { maxConnections: 2, ...options });
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client, postgresLearningMigrations, Date.now, LEARNING_MIGRATIONS_TABLE);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  const all = async (q: Query): Promise<DbRow[]> => (await pool.query<DbRow>(q.sql, q.params)).rows;
  const version = async (id: string, client: pg.Pool | pg.PoolClient = pool): Promise<PolicyVersionRecord | undefined> => {
    const row = (await client.query<DbRow>('SELECT * FROM policy_versions WHERE id = $1', [id])).rows[0];
    return row ? toPolicyVersion(row) : undefined;
  };
  let closing: Promise<void> | undefined;
  return {
    insertDecisions: (rows) => insertBatch(pool, 'decisions', DECISION_COLUMNS.length, rows.map(decisionValues)),
    insertFeedback: (rows) => insertBatch(pool, 'feedback', FEEDBACK_COLUMNS.length, rows.map(feedbackValues)),
    async getDecision(id) {
      const row = (await pool.query<DbRow>('SELECT * FROM decisions WHERE decision_id = $1', [id])).rows[0];
      return row ? toDecision(row) : undefined;
    },
    async hasFeedback(k) {
      const { rowCount } = await pool.query(HAS_FEEDBACK_SQL.postgres, [k.decisionId, k.metric, k.source, k.idempotencyKey ?? '']);
      return (rowCount ?? 0) > 0;
    },
    listDecisions: async (q) => (await all(listDecisionsQuery('postgres', q))).map(toDecision),
    listFeedback: async (q) => (await all(listFeedbackQuery('postgres', q))).map(toFeedback),
    async savePolicyVersion(v) {
      await inTransaction(pool, async (client) => {
        if (v.status === 'active') {
          await client.query(LOCK_ACTIVE_SQL, [v.route, v.tenant]);
          await client.query(RETIRE_ACTIVE_SQL.postgres, [v.route, v.tenant, v.id]);
        }
        await client.query(insertPolicyVersionSql('postgres'), policyVersionValues(v));
      });
    },
    getPolicyVersion: (id) => version(id),
    listPolicyVersions: async (q) => (await all(listPolicyVersionsQuery('postgres', q))).map(toPolicyVersion),
    activatePolicyVersion: (id) => inTransaction(pool, async (client) => {
      const row = (await client.query<DbRow>('SELECT * FROM policy_versions WHERE id = $1', [id])).rows[0];
      if (!row) throw new Error(`policy version ${id} does not exist`);
      const v = toPolicyVersion(row);
      // Two admins promoting at once, or a promotion racing a snapshot, serialise instead of leaving two active versions.
      await client.query(LOCK_ACTIVE_SQL, [v.route, v.tenant]);
      await client.query(RETIRE_ACTIVE_SQL.postgres, [v.route, v.tenant, id]);
      await client.query(ACTIVATE_SQL.postgres, [id]);
      return { ...v, status: 'active' as const };
    }),
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
};
