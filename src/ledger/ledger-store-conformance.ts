import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerRow, LedgerStore, SpendRow } from '../spec/ledger.js';
import { GatewayError } from '../errors/index.js';

/** A complete, valid ledger row; tests override what they look at. */
export const makeLedgerRow = (overrides: Partial<LedgerRow> = {}): LedgerRow => ({
  requestId: 'req-1', decisionId: 'dec-1', attempt: 1, ts: Date.UTC(2025, 2, 1, 12), tenant: 'acme', apiKeyId: 'key-1',
  tags: {}, route: 'default', target: 'gpt-4o-mini', model: 'gpt-4o-mini', provider: 'openai',
  inputTokens: 100, outputTokens: 50, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costMicroUsd: 45,
  latencyMs: 120, ttftMs: null, outcome: 'ok', errorCode: null, stream: false, policy: 'rules', policyVersion: '1', configHash: 'abc',
  ...overrides,
});

const day = (iso: string): number => Date.parse(iso);

const byGroup = (rows: SpendRow[]): Record<string, SpendRow> =>
  Object.fromEntries(rows.map((r) => [Object.values(r.group).join('|'), r]));

/**
 * The behaviour every LedgerStore must have. `makeStore` must return a new, *empty* store each
 * time (a fresh ':memory:' database, a fresh Postgres schema…); the suite closes each store.
 */
export const runLedgerStoreConformance = (name: string, makeStore: () => Promise<LedgerStore>): void => {
  describe(`LedgerStore conformance: ${name}`, () => {
    const open: LedgerStore[] = [];
    const fresh = async (): Promise<LedgerStore> => {
      const store = await makeStore();
      open.push(store);
      return store;
    };
    after(async () => {
      for (const s of open) await s.close();
    });

    test('insert and count; an empty batch is a no-op', async () => {
      const store = await fresh();
      assert.equal(await store.count(), 0);
      await store.insert([]);
      await store.insert([makeLedgerRow({ requestId: 'a' }), makeLedgerRow({ requestId: 'b' }), makeLedgerRow({ requestId: 'b', attempt: 2 })]);
      assert.equal(await store.count(), 3);
    });

    test('re-inserting the same (requestId, attempt) is idempotent, so a retried batch never double-bills', async () => {
      const store = await fresh();
      const rows = [makeLedgerRow({ requestId: 'a' }), makeLedgerRow({ requestId: 'b' })];
      await store.insert(rows);
      await store.insert([...rows, makeLedgerRow({ requestId: 'c' })]);
      assert.equal(await store.count(), 3);
      const [total] = await store.spend({ groupBy: [] });
      assert.equal(total?.costMicroUsd, 3 * 45);
    });

    test('a batch is atomic: one bad row and nothing of the batch is stored', async () => {
      const store = await fresh();
      await store.insert([makeLedgerRow({ requestId: 'kept' })]);
      const bad = makeLedgerRow({ requestId: 'bad', tenant: null as unknown as string });
      await assert.rejects(store.insert([makeLedgerRow({ requestId: 'x1' }), bad, makeLedgerRow({ requestId: 'x2' })]));
      assert.equal(await store.count(), 1);
    });

    test('spend by tenant: requests are distinct request ids, attempts are rows, sums are exact', async () => {
      const store = await fresh();
      await store.insert([
        makeLedgerRow({ requestId: 'r1', tenant: 'acme', attempt: 1, outcome: 'error', errorCode: 'upstream_error', inputTokens: 0, outputTokens: 0, costMicroUsd: 0 }),
        makeLedgerRow({ requestId: 'r1', tenant: 'acme', attempt: 2, inputTokens: 1000, outputTokens: 10, cachedInputTokens: 800, reasoningTokens: 5, costMicroUsd: 2600 }),
        makeLedgerRow({ requestId: 'r2', tenant: 'acme', inputTokens: 10, outputTokens: 20, costMicroUsd: 7 }),
        makeLedgerRow({ requestId: 'r3', tenant: 'globex', inputTokens: 1, outputTokens: 2, costMicroUsd: 3 }),
      ]);
      const rows = await store.spend({ groupBy: ['tenant'] });
      assert.deepEqual(rows, [
        { group: { tenant: 'acme' }, requests: 2, attempts: 3, inputTokens: 1010, outputTokens: 30, cachedInputTokens: 800, reasoningTokens: 5, costMicroUsd: 2607 },
        { group: { tenant: 'globex' }, requests: 1, attempts: 1, inputTokens: 1, outputTokens: 2, cachedInputTokens: 0, reasoningTokens: 0, costMicroUsd: 3 },
      ]);
    });

    test('spend by model, and by several keys at once, ordered by group values (binary order)', async () => {
      const store = await fresh();
      await store.insert([
        makeLedgerRow({ requestId: 'r1', tenant: 'b', model: 'small', costMicroUsd: 1 }),
        makeLedgerRow({ requestId: 'r2', tenant: 'a', model: 'small', costMicroUsd: 2 }),
        makeLedgerRow({ requestId: 'r3', tenant: 'a', model: 'Large', costMicroUsd: 30 }),
        makeLedgerRow({ requestId: 'r4', tenant: 'a', model: 'Large', costMicroUsd: 40 }),
      ]);
      const byModel = await store.spend({ groupBy: ['model'] });
      assert.deepEqual(byModel.map((r) => [r.group['model'], r.requests, r.costMicroUsd]), [['Large', 2, 70], ['small', 2, 3]]);
      const both = await store.spend({ groupBy: ['tenant', 'model'] });
      assert.deepEqual(both.map((r) => [r.group['tenant'], r.group['model'], r.costMicroUsd]), [['a', 'Large', 70], ['a', 'small', 2], ['b', 'small', 1]]);
    });

    test('spend by tag:product; rows without the tag group under an empty value', async () => {
      const store = await fresh();
      await store.insert([
        makeLedgerRow({ requestId: 'r1', tags: { product: 'search', feature: 'x' }, costMicroUsd: 10 }),
        makeLedgerRow({ requestId: 'r2', tags: { product: 'search' }, costMicroUsd: 5 }),
        makeLedgerRow({ requestId: 'r3', tags: { product: 'chat' }, costMicroUsd: 7 }),
        makeLedgerRow({ requestId: 'r4', tags: {}, costMicroUsd: 1 }),
      ]);
      const g = byGroup(await store.spend({ groupBy: ['tag:product'] }));
      assert.equal(g['search']?.costMicroUsd, 15);
      assert.equal(g['chat']?.costMicroUsd, 7);
      assert.equal(g['']?.costMicroUsd, 1);
      assert.deepEqual(g['search']?.group, { 'tag:product': 'search' });
    });

    test('spend by day uses UTC calendar days', async () => {
      const store = await fresh();
      await store.insert([
        makeLedgerRow({ requestId: 'r1', ts: day('2025-03-01T00:00:00.000Z'), costMicroUsd: 1 }),
        makeLedgerRow({ requestId: 'r2', ts: day('2025-03-01T23:59:59.999Z'), costMicroUsd: 2 }),
        makeLedgerRow({ requestId: 'r3', ts: day('2025-03-02T00:00:00.000Z'), costMicroUsd: 4 }),
      ]);
      const rows = await store.spend({ groupBy: ['day'] });
      assert.deepEqual(rows.map((r) => [r.group['day'], r.costMicroUsd]), [['2025-03-01', 3], ['2025-03-02', 4]]);
    });

    test('from is inclusive, to is exclusive', async () => {
      const store = await fresh();
      const t0 = day('2025-03-01T00:00:00.000Z');
      await store.insert([0, 1, 2, 3].map((i) => makeLedgerRow({ requestId: `r${i}`, ts: t0 + i * 1000, costMicroUsd: 10 ** i })));
      const [inRange] = await store.spend({ groupBy: [], from: t0 + 1000, to: t0 + 3000 });
      assert.equal(inRange?.costMicroUsd, 10 + 100);
      assert.equal(inRange?.requests, 2);
      assert.deepEqual(await store.spend({ groupBy: ['tenant'], from: t0 + 10_000 }), []);
      const [upTo] = await store.spend({ groupBy: [], to: t0 + 1 });
      assert.equal(upTo?.costMicroUsd, 1);
    });

    test('a tenant restriction hides every other tenant', async () => {
      const store = await fresh();
      await store.insert([
        makeLedgerRow({ requestId: 'r1', tenant: 'acme', costMicroUsd: 1 }),
        makeLedgerRow({ requestId: 'r2', tenant: 'globex', costMicroUsd: 2 }),
        makeLedgerRow({ requestId: 'r3', tenant: "acme' OR '1'='1", costMicroUsd: 4 }),
      ]);
      const rows = await store.spend({ groupBy: ['tenant', 'model'], tenant: 'acme' });
      assert.deepEqual(rows.map((r) => [r.group['tenant'], r.costMicroUsd]), [['acme', 1]]);
    });

    test('tags with odd characters round-trip; hostile tag names are rejected, not run', async () => {
      const store = await fresh();
      const odd = `it's "quoted" \\ back\\slash, 日本語, emoji 🚀, $.path, -- comment`;
      await store.insert([
        makeLedgerRow({ requestId: 'r1', tags: { product: odd, 'weird key "x"': 'v', 'a.b': 'dotted' }, costMicroUsd: 3 }),
        makeLedgerRow({ requestId: 'r2', tags: { product: '' }, costMicroUsd: 1 }),
        makeLedgerRow({ requestId: 'r3', tags: { 'product-line': 'p1' }, costMicroUsd: 9 }),
      ]);
      const g = byGroup(await store.spend({ groupBy: ['tag:product'] }));
      assert.equal(g[odd]?.costMicroUsd, 3);
      const line = byGroup(await store.spend({ groupBy: ['tag:product-line'] }));
      assert.equal(line['p1']?.costMicroUsd, 9);
      for (const hostile of [`tag:product'); DROP TABLE ledger; --`, 'tag:a.b', 'tag:', 'tag:x"y', 'nope']) {
        await assert.rejects(store.spend({ groupBy: [hostile as `tag:${string}`] }), (err: unknown) => err instanceof GatewayError && err.param === 'group_by');
      }
      assert.equal(await store.count(), 3);
    });

    test('large costs come back as exact numbers (beyond 32 bits)', async () => {
      const store = await fresh();
      const big = 4_000_000_000_000; // 4 million USD in micro-USD
      await store.insert([makeLedgerRow({ requestId: 'r1', costMicroUsd: big }), makeLedgerRow({ requestId: 'r2', costMicroUsd: big + 1 })]);
      const [total] = await store.spend({ groupBy: [] });
      assert.equal(total?.costMicroUsd, 2 * big + 1);
      assert.equal(typeof total?.costMicroUsd, 'number');
      assert.equal(typeof total?.requests, 'number');
    });

    test('a batch of 5,000 rows is stored whole', async () => {
      const store = await fresh();
      const rows = Array.from({ length: 5000 }, (_, i) =>
        makeLedgerRow({ requestId: `r${i}`, tenant: `t${i % 7}`, tags: { product: `p${i % 3}` }, costMicroUsd: i, ts: day('2025-03-01T00:00:00Z') + i }));
      await store.insert(rows);
      assert.equal(await store.count(), 5000);
      const byTenant = await store.spend({ groupBy: ['tenant'] });
      assert.equal(byTenant.length, 7);
      assert.equal(byTenant.reduce((s, r) => s + r.costMicroUsd, 0), (4999 * 5000) / 2);
      assert.equal(byTenant.reduce((s, r) => s + r.requests, 0), 5000);
    });
  });
};
