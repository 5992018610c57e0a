import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { makeLedgerRow, runLedgerStoreConformance } from '../../src/ledger/ledger-store-conformance.js';
import { runLearningStoreConformance } from '../../src/ledger/learning-store-conformance.js';
import { createPostgresLearningStore, type PostgresLearningStore } from '../../src/ledger/postgres-learning-store.js';
import { createPostgresLedgerStore, withDefaultPostgresUser, toSafeNumber } from '../../src/ledger/postgres-ledger-store.js';
import { withService } from '../helpers/require-service.js';
import { postgresService, postgresUrl } from '../helpers/postgres-service.js';

const url = postgresUrl;
const postgres = postgresService;

test('toSafeNumber refuses values that would lose precision', () => {
  assert.equal(toSafeNumber('9007199254740991'), Number.MAX_SAFE_INTEGER);
  assert.equal(toSafeNumber(null), 0);
  assert.throws(() => toSafeNumber('9007199254740993'), RangeError);
  assert.throws(() => toSafeNumber('1.5'), RangeError);
});

await withService(postgres, () => {
  // Every store gets its own throwaway schema under this run's prefix; all are dropped at the end.
  const run = `switchyard_test_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: withDefaultPostgresUser(url), max: 2 });
  admin.on('error', () => undefined);
  const schemas: string[] = [];
  const newSchema = async (): Promise<string> => {
    const schema = `${run}_${schemas.length + 1}`;
    schemas.push(schema);
    await admin.query(`CREATE SCHEMA ${schema}`);
    return schema;
  };
  after(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  runLedgerStoreConformance('postgres', async () => createPostgresLedgerStore(url, { schema: await newSchema() }));

  const learningStores: PostgresLearningStore[] = [];
  after(async () => { await Promise.all(learningStores.map((s) => s.close())); });
  runLearningStoreConformance('postgres', async () => {
    const store = await createPostgresLearningStore(url, { schema: await newSchema() });
    learningStores.push(store);
    return store;
  });

  test('postgres: a batch spanning several INSERT statements is still all-or-nothing', async () => {
    const store = await createPostgresLedgerStore(url, { schema: await newSchema(), rowsPerStatement: 2 });
    try {
      const rows = [1, 2, 3, 4, 5].map((i) => makeLedgerRow({ requestId: `r${i}` }));
      rows.push(makeLedgerRow({ requestId: 'bad', tenant: null as unknown as string }));
      await assert.rejects(store.insert(rows));
      assert.equal(await store.count(), 0);
      await store.insert(rows.slice(0, 5));
      assert.equal(await store.count(), 5);
    } finally {
      await store.close();
    }
  });

  test('postgres: stores starting together on one schema migrate once (advisory lock)', async () => {
    const schema = await newSchema();
    const stores = await Promise.all([1, 2, 3].map(() => createPostgresLedgerStore(url, { schema })));
    try {
      const { rows } = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.ledger_migrations`);
      assert.equal(rows[0]?.n, '1');
      await stores[0]?.insert([makeLedgerRow({ requestId: 'a' })]);
      assert.equal(await stores[2]?.count(), 1);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  test('postgres: tags are stored as jsonb and costs as bigint', async () => {
    const schema = await newSchema();
    const store = await createPostgresLedgerStore(url, { schema });
    try {
      await store.insert([makeLedgerRow({ requestId: 'a', tags: { product: 'search' }, costMicroUsd: 5_000_000_000_000 })]);
      const { rows } = await admin.query<{ product: string; cost_type: string }>(
        `SELECT tags->>'product' AS product, pg_typeof(cost_micro_usd)::text AS cost_type FROM ${schema}.ledger`);
      assert.deepEqual(rows, [{ product: 'search', cost_type: 'bigint' }]);
    } finally {
      await store.close();
    }
  });

  test('postgres: an unsafe schema name is refused before any SQL runs', async () => {
    await assert.rejects(createPostgresLedgerStore(url, { schema: 'x; DROP TABLE ledger' }), /must match/);
  });
  test('postgres: admin reads use their own pool, so they never wait behind (or hold) the writer\'s connections', async () => {
    const schema = await newSchema();
    const store = await createPostgresLedgerStore(url, { schema, maxConnections: 1, readConnections: 1 });
    try {
      await store.insert([makeLedgerRow({ requestId: 'a' })]);
      assert.equal(await store.count(), 1);
      const { rows } = await admin.query<{ application_name: string }>(
        "SELECT DISTINCT application_name FROM pg_stat_activity WHERE application_name LIKE 'switchyard-ledger%' ORDER BY 1");
      assert.deepEqual(rows.map((r) => r.application_name), ['switchyard-ledger', 'switchyard-ledger-read']);
    } finally {
      await store.close();
    }
  });
});
