import { userInfo } from 'node:os';
import pg from 'pg';
import type { LedgerRow, LedgerStore, SpendQuery, SpendRow } from '../spec/ledger.js';
import { LEDGER_COLUMNS, ledgerRowValues, type LedgerColumnValue } from './ledger-columns.js';
import { migratePostgres } from './postgres-migrations.js';
import { parseGroupKeys, type ParsedGroupKey } from './spend-group-key.js';

export interface PostgresLedgerStoreOptions {
  /** Schema to create and use the tables in (set as the connection's search_path). */
  schema?: string;
  /** Pool size. The writer inserts one batch at a time, so a few connections are plenty. Default 4. */
  maxConnections?: number;
  /** Connections of the separate pool for admin reads (spend reports). Default 2. */
  readConnections?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
  /** Rows per INSERT statement (25 parameters a row; Postgres allows 65,535). Default 1,000. */
  rowsPerStatement?: number;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * int8 and numeric arrive from `pg` as strings (they may exceed 2^53). Ledger sums stay far below
 * that, but a silent precision loss on money is worse than an error, so check instead of trusting.
 */
export const toSafeNumber = (value: string | number | null | undefined): number => {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`ledger value ${String(value)} is not a safe integer`);
  return n;
};

/**
 * libpq (psql) falls back to the OS user when neither the URL nor PGUSER names one; `pg` only reads
 * $USER, which services and containers often lack ("no PostgreSQL user name specified"). Returns
 * the URL with that user filled in, or unchanged.
 */
export const withDefaultPostgresUser = (url: string): string => {
  if (process.env['PGUSER'] || process.env['USER']) return url;
  try {
    const parsed = new URL(url);
    if (parsed.username !== '') return url;
    parsed.username = encodeURIComponent(userInfo().username);
    return parsed.toString();
  } catch {
    return url;
  }
};

const insertSql = (rows: number): string => {
  const width = LEDGER_COLUMNS.length;
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    tuples.push(`(${LEDGER_COLUMNS.map((_, c) => `$${r * width + c + 1}`).join(', ')})`);
  }
  return `INSERT INTO ledger (${LEDGER_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (request_id, attempt) DO NOTHING`;
};

/** Group expressions carry COLLATE "C" so the report's order is byte order, as in SQLite. */
const groupExpr = (g: ParsedGroupKey, bind: (v: LedgerColumnValue) => string): string => {
  switch (g.kind) {
    case 'column':
      return `${g.column} COLLATE "C"`;
    case 'day':
      return `to_char(to_timestamp(ts / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD') COLLATE "C"`;
    case 'tag':
      return `coalesce(tags ->> ${bind(g.tag)}, '') COLLATE "C"`;
  }
};

/** Builds the spend query; every value (tag names included) is a bound parameter. */
export const buildPostgresSpendSql = (query: SpendQuery): { sql: string; params: LedgerColumnValue[]; groups: ParsedGroupKey[] } => {
  const groups = parseGroupKeys(query.groupBy);
  const params: LedgerColumnValue[] = [];
  const bind = (v: LedgerColumnValue): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const select = groups.map((g, i) => `${groupExpr(g, bind)} AS g${i}`);
  const where: string[] = [];
  if (query.from !== undefined) where.push(`ts >= ${bind(query.from)}`);
  if (query.to !== undefined) where.push(`ts < ${bind(query.to)}`);
  if (query.tenant !== undefined) where.push(`tenant = ${bind(query.tenant)}`);
  const aliases = groups.map((_, i) => `g${i}`);
  const sql = [
    `SELECT ${[...select, ''].join(', ')}count(DISTINCT request_id) AS requests, count(*) AS attempts,`,
    'sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,',
    'sum(cached_input_tokens) AS cached_input_tokens, sum(reasoning_tokens) AS reasoning_tokens, sum(cost_micro_usd) AS cost',
    'FROM ledger',
    where.length > 0 ? `WHERE ${where.join(' AND ')}` : '',
    aliases.length > 0 ? `GROUP BY ${aliases.join(', ')}` : '',
    'HAVING count(*) > 0',
    aliases.length > 0 ? `ORDER BY ${aliases.join(', ')}` : '',
  ].filter(Boolean).join('\n');
  return { sql, params, groups };
};

type Numeric = string | number | null;
interface SpendResultRow {
  [alias: string]: Numeric;
  requests: Numeric;
  attempts: Numeric;
  input_tokens: Numeric;
  output_tokens: Numeric;
  cached_input_tokens: Numeric;
  reasoning_tokens: Numeric;
  cost: Numeric;
}

const toSpendRow = (r: SpendResultRow, groups: readonly ParsedGroupKey[]): SpendRow => {
  const group: Record<string, string> = {};
  groups.forEach((g, i) => {
    group[g.key] = String(r[`g${i}`] ?? '');
  });
  return {
    group,
    requests: toSafeNumber(r.requests),
    attempts: toSafeNumber(r.attempts),
    inputTokens: toSafeNumber(r.input_tokens),
    outputTokens: toSafeNumber(r.output_tokens),
    cachedInputTokens: toSafeNumber(r.cached_input_tokens),
    reasoningTokens: toSafeNumber(r.reasoning_tokens),
    costMicroUsd: toSafeNumber(r.cost),
  };
};

/** A pool on the ledger database (search_path set to `schema`); shared by the ledger and learning stores. */
export const createPostgresPool = (url: string, options: PostgresLedgerStoreOptions): pg.Pool => {
  if (options.schema !== undefined && !SCHEMA_PATTERN.test(options.schema)) {
    throw new Error(`ledger schema '${options.schema}' must match ${SCHEMA_PATTERN.source}`);
  }
  const pool = new pg.Pool({
    connectionString: withDefaultPostgresUser(url),
    max: options.maxConnections ?? 4,
    application_name: options.applicationName ?? 'switchyard-ledger',
    // Without these a dead database would hang the writer's flush chain forever.
    connectionTimeoutMillis: 10_000,
    statement_timeout: 30_000,
    query_timeout: 60_000,
    ...(options.schema !== undefined ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client losing its connection emits 'error' on the pool; unhandled, it would kill the process.
  pool.on('error', () => undefined);
  return pool;
};

const insertRows = async (pool: pg.Pool, rows: readonly LedgerRow[], perStatement: number): Promise<void> => {
  const client = await pool.connect();
  const several = rows.length > perStatement;
  let broken: Error | undefined;
  try {
    // One statement is atomic on its own; several need a transaction to keep the batch all-or-nothing.
    if (several) await client.query('BEGIN');
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      const values = chunk.flatMap(ledgerRowValues);
      const full = chunk.length === perStatement;
      // Full chunks reuse a named prepared statement per connection; odd-sized tails are planned once.
      await client.query({ text: insertSql(chunk.length), values, ...(full ? { name: `ledger_insert_${perStatement}` } : {}) });
    }
    if (several) await client.query('COMMIT');
  } catch (err) {
    if (several) await client.query('ROLLBACK').catch((e: Error) => { broken = e; });
    throw err;
  } finally {
    client.release(broken);
  }
};

/** The shared ledger for many replicas: Postgres, tags as JSONB, BIGINT money. */
export const createPostgresLedgerStore = async (url: string, options: PostgresLedgerStoreOptions = {}): Promise<LedgerStore> => {
  const pool = createPostgresPool(url, options);
  const perStatement = Math.max(1, Math.min(options.rowsPerStatement ?? 1000, Math.floor(65_535 / LEDGER_COLUMNS.length)));
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  // Admin reports get their own small pool: a slow spend query over months of rows can never take
  // the connections the batch writer needs (Postgres's MVCC already keeps reads from locking writes).
  const reads = createPostgresPool(url, { ...options, maxConnections: options.readConnections ?? 2, applicationName: 'switchyard-ledger-read' });
  let closing: Promise<void> | undefined;
  return {
    async insert(rows) {
      if (rows.length > 0) await insertRows(pool, rows, perStatement);
    },
    async spend(query) {
      const { sql, params, groups } = buildPostgresSpendSql(query);
      const result = await reads.query<SpendResultRow>(sql, params);
      return result.rows.map((r) => toSpendRow(r, groups));
    },
    async count() {
      const result = await reads.query<{ n: string }>('SELECT count(*) AS n FROM ledger');
      return toSafeNumber(result.rows[0]?.n);
    },
    close() {
      closing ??= Promise.all([pool.end(), reads.end()]).then(() => undefined);
      return closing;
    },
  };
};
