import Database from 'better-sqlite3';
import type { LedgerRow, LedgerStore, SpendQuery, SpendRow } from '../spec/ledger.js';
import { LEDGER_COLUMNS, STREAM_COLUMN_INDEX, ledgerRowValues, type LedgerColumnValue } from './ledger-columns.js';
import { migrateSqlite } from './sqlite-migrations.js';
import { parseGroupKeys, type ParsedGroupKey } from './spend-group-key.js';

export interface SqliteLedgerStoreOptions {
  /** Open an existing database without creating or migrating it (the `spend` CLI). */
  readonly?: boolean;
}

type SqlValue = string | number | null;

const INSERT_SQL = `INSERT INTO ledger (${LEDGER_COLUMNS.join(', ')}) VALUES (${LEDGER_COLUMNS.map(() => '?').join(', ')})
  ON CONFLICT (request_id, attempt) DO NOTHING`;

const toSqlite = (values: LedgerColumnValue[]): SqlValue[] => {
  const out = values as SqlValue[];
  // better-sqlite3 binds no booleans.
  out[STREAM_COLUMN_INDEX] = values[STREAM_COLUMN_INDEX] ? 1 : 0;
  return out;
};

/** SQL expression for one group key; tag paths are bound parameters, never spliced into the text. */
const groupExpr = (g: ParsedGroupKey, params: SqlValue[]): string => {
  switch (g.kind) {
    case 'column':
      return g.column;
    case 'day':
      return `strftime('%Y-%m-%d', ts / 1000, 'unixepoch')`;
    case 'tag':
      // The tag name is validated by TAG_NAME_PATTERN and quoted in the path, so `a-b` is one key.
      params.push(`$."${g.tag}"`);
      return `coalesce(json_extract(tags, ?), '')`;
  }
};

/** Builds the spend query: SQL text depends only on the *shape* of the query, every value is bound. */
export const buildSqliteSpendSql = (query: SpendQuery): { sql: string; params: SqlValue[]; groups: ParsedGroupKey[] } => {
  const groups = parseGroupKeys(query.groupBy);
  const params: SqlValue[] = [];
  const select = groups.map((g, i) => `${groupExpr(g, params)} AS g${i}`);
  const where: string[] = [];
  if (query.from !== undefined) {
    where.push('ts >= ?');
    params.push(query.from);
  }
  if (query.to !== undefined) {
    where.push('ts < ?');
    params.push(query.to);
  }
  if (query.tenant !== undefined) {
    where.push('tenant = ?');
    params.push(query.tenant);
  }
  const aliases = groups.map((_, i) => `g${i}`);
  const sql = [
    `SELECT ${[...select, ''].join(', ')}count(DISTINCT request_id) AS requests, count(*) AS attempts,`,
    'sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,',
    'sum(cached_input_tokens) AS cached_input_tokens, sum(reasoning_tokens) AS reasoning_tokens, sum(cost_micro_usd) AS cost',
    'FROM ledger',
    where.length > 0 ? `WHERE ${where.join(' AND ')}` : '',
    aliases.length > 0 ? `GROUP BY ${aliases.join(', ')}` : '',
    // Without GROUP BY an aggregate over no rows still yields one row: an empty report must be [].
    'HAVING count(*) > 0',
    aliases.length > 0 ? `ORDER BY ${aliases.join(', ')}` : '',
  ].filter(Boolean).join('\n');
  return { sql, params, groups };
};

interface SpendResultRow {
  [alias: string]: string | number | null;
  requests: number;
  attempts: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_input_tokens: number | null;
  reasoning_tokens: number | null;
  cost: number | null;
}

const toSpendRow = (r: SpendResultRow, groups: readonly ParsedGroupKey[]): SpendRow => {
  const group: Record<string, string> = {};
  groups.forEach((g, i) => {
    group[g.key] = String(r[`g${i}`] ?? '');
  });
  return {
    group,
    requests: r.requests,
    attempts: r.attempts,
    inputTokens: r.input_tokens ?? 0,
    outputTokens: r.output_tokens ?? 0,
    cachedInputTokens: r.cached_input_tokens ?? 0,
    reasoningTokens: r.reasoning_tokens ?? 0,
    costMicroUsd: r.cost ?? 0,
  };
};

/** Opens (and, unless read-only, migrates) the ledger file; the learning store shares this connection. */
export const openLedgerDatabase = (path: string, options: SqliteLedgerStoreOptions = {}): Database.Database => {
  const db = new Database(path, { readonly: options.readonly === true, fileMustExist: options.readonly === true });
  if (!options.readonly) {
    // WAL: readers (spend reports) never block the writer; NORMAL is durable across process
    // crashes and only risks the last transactions on power loss, which a ledger can afford.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrateSqlite(db);
  }
  db.pragma('busy_timeout = 5000');
  return db;
};

/**
 * The default ledger: one SQLite file (or ':memory:'), synchronous under the hood, async to the
 * caller. Given an open database (openLedgerDatabase) it uses that connection; close() closes it.
 */
export const createSqliteLedgerStore = (pathOrDb: string | Database.Database, options: SqliteLedgerStoreOptions = {}): LedgerStore => {
  const db = typeof pathOrDb === 'string' ? openLedgerDatabase(pathOrDb, options) : pathOrDb;
  const insert = options.readonly ? undefined : db.prepare(INSERT_SQL);
  const insertAll = db.transaction((rows: readonly LedgerRow[]) => {
    for (const row of rows) insert?.run(toSqlite(ledgerRowValues(row)));
  });
  const countStmt = db.prepare('SELECT count(*) AS n FROM ledger');
  // The SQL text only varies with the query's shape, so this cache stays small.
  const spendStatements = new Map<string, Database.Statement>();
  let closed = false;

  const ensureOpen = (): void => {
    if (closed) throw new Error('ledger store is closed');
  };

  return {
    async insert(rows) {
      ensureOpen();
      if (!insert) throw new Error('ledger store was opened read-only');
      if (rows.length > 0) insertAll(rows);
    },
    async spend(query) {
      ensureOpen();
      const { sql, params, groups } = buildSqliteSpendSql(query);
      let stmt = spendStatements.get(sql);
      if (!stmt) {
        stmt = db.prepare(sql);
        spendStatements.set(sql, stmt);
      }
      return (stmt.all(...params) as SpendResultRow[]).map((r) => toSpendRow(r, groups));
    },
    async count() {
      ensureOpen();
      return (countStmt.get() as { n: number }).n;
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
};
