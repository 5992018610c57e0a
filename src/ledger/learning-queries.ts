import type { DecisionQuery, FeedbackQuery, PolicyVersionStatus } from '../spec/learning.js';
import { DECISION_COLUMNS, FEEDBACK_COLUMNS, POLICY_VERSION_COLUMNS, whereOf, type SqlValue } from './learning-columns.js';

export interface Query { sql: string; params: SqlValue[] }
/** Placeholder style: SQLite numbers nothing (`?`), Postgres numbers its parameters (`$1`…). */
export type Placeholders = 'sqlite' | 'postgres';

const binder = (style: Placeholders): { params: SqlValue[]; mark: (v: SqlValue) => string } => {
  const params: SqlValue[] = [];
  return {
    params,
    mark: (v) => {
      params.push(v);
      return style === 'sqlite' ? '?' : `$${params.length}`;
    },
  };
};

const tuple = (style: Placeholders, width: number, row: number): string =>
  `(${Array.from({ length: width }, (_, c) => (style === 'sqlite' ? '?' : `$${row * width + c + 1}`)).join(', ')})`;

/** Multi-row INSERT that ignores rows already stored (by primary key / dedup index). */
export const insertSql = (style: Placeholders, table: 'decisions' | 'feedback', rows: number): string => {
  const columns = table === 'decisions' ? DECISION_COLUMNS : FEEDBACK_COLUMNS;
  const tuples = Array.from({ length: rows }, (_, r) => tuple(style, columns.length, r));
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`;
};

export const insertPolicyVersionSql = (style: Placeholders): string =>
  `INSERT INTO policy_versions (${POLICY_VERSION_COLUMNS.join(', ')}) VALUES ${tuple(style, POLICY_VERSION_COLUMNS.length, 0)}`;

const limitOf = (limit: number | undefined, mark: (v: SqlValue) => string): string =>
  limit === undefined ? '' : `LIMIT ${mark(Math.max(0, Math.floor(limit)))}`;

export const listDecisionsQuery = (style: Placeholders, q: DecisionQuery): Query => {
  const { params, mark } = binder(style);
  const where = whereOf([['tenant', '=', q.tenant], ['route', '=', q.route], ['ts', '>=', q.from], ['ts', '<', q.to]], mark);
  return { sql: `SELECT * FROM decisions ${where} ORDER BY ts, decision_id ${limitOf(q.limit, mark)}`, params };
};

export const listFeedbackQuery = (style: Placeholders, q: FeedbackQuery): Query => {
  const { params, mark } = binder(style);
  const where = whereOf([['tenant', '=', q.tenant], ['decision_id', '=', q.decisionId], ['ts', '>=', q.from], ['ts', '<', q.to]], mark);
  return { sql: `SELECT * FROM feedback ${where} ORDER BY ts, decision_id, metric ${limitOf(q.limit, mark)}`, params };
};

export const listPolicyVersionsQuery = (style: Placeholders, q: { route?: string; tenant?: string; status?: PolicyVersionStatus }): Query => {
  const { params, mark } = binder(style);
  const where = whereOf([['route', '=', q.route], ['tenant', '=', q.tenant], ['status', '=', q.status]], mark);
  return { sql: `SELECT * FROM policy_versions ${where} ORDER BY created DESC, id DESC`, params };
};

export const RETIRE_ACTIVE_SQL = {
  sqlite: `UPDATE policy_versions SET status = 'retired' WHERE route = ? AND tenant = ? AND status = 'active' AND id <> ?`,
  postgres: `UPDATE policy_versions SET status = 'retired' WHERE route = $1 AND tenant = $2 AND status = 'active' AND id <> $3`,
} as const;
/**
 * Postgres only: serialises the transactions that change which version of (route, tenant) is active,
 * so replicas snapshotting at once (all of them at start-up) retire each other's version in turn
 * instead of both inserting an active one and tripping policy_versions_one_active.
 */
export const LOCK_ACTIVE_SQL = `SELECT pg_advisory_xact_lock(hashtext('policy_versions:' || $1 || '/' || $2))`;
export const ACTIVATE_SQL = {
  sqlite: `UPDATE policy_versions SET status = 'active' WHERE id = ?`,
  postgres: `UPDATE policy_versions SET status = 'active' WHERE id = $1`,
} as const;
export const HAS_FEEDBACK_SQL = {
  sqlite: 'SELECT 1 AS one FROM feedback WHERE decision_id = ? AND metric = ? AND source = ? AND idempotency_key = ?',
  postgres: 'SELECT 1 AS one FROM feedback WHERE decision_id = $1 AND metric = $2 AND source = $3 AND idempotency_key = $4',
} as const;
