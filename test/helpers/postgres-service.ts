import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withDefaultPostgresUser } from '../../src/ledger/postgres-ledger-store.js';
import type { ServiceSpec } from './require-service.js';

export const postgresUrl = process.env['SWITCHYARD_TEST_POSTGRES_URL'] ?? 'postgres://127.0.0.1:5432/test';

export const postgresService: ServiceSpec = {
  name: 'PostgreSQL',
  where: postgresUrl,
  envVar: 'SWITCHYARD_TEST_POSTGRES_URL',
  probe: async () => {
    const client = new pg.Client({ connectionString: withDefaultPostgresUser(postgresUrl), connectionTimeoutMillis: 3000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => undefined);
    }
  },
};

export interface TestSchema {
  name: string;
  /** The database URL with this schema as the search_path: every process using it lands there. */
  url: string;
  /** Runs SQL in the schema. */
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/** A throwaway schema (the database on this machine is shared by concurrent test runs). */
export const createTestSchema = async (): Promise<TestSchema> => {
  const name = `switchyard_scale_${randomBytes(4).toString('hex')}`;
  const pool = new pg.Pool({ connectionString: withDefaultPostgresUser(postgresUrl), max: 2 });
  pool.on('error', () => undefined);
  await pool.query(`CREATE SCHEMA ${name}`);
  const u = new URL(postgresUrl);
  u.searchParams.set('options', `-c search_path=${name}`);
  return {
    name,
    url: u.toString(),
    query: async (sql, params) => (await pool.query(sql.replaceAll('$schema', name), params)).rows,
    drop: async () => {
      await pool.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await pool.end();
    },
  };
};
