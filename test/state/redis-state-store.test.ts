import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BreakerSnapshot } from '../../src/spec/state.js';
import { createRedisStateStore, type RedisStateOptions, type RedisStateStore } from '../../src/state/redis-state-store.js';
import { runStateStoreConformance } from '../../src/state/state-store-conformance.js';
import { withService } from '../helpers/require-service.js';
import { deleteKeys, redisService, redisUrl, testKeyPrefix } from '../helpers/redis-service.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { createJudgeBudget } from '../../src/learning/judge-budget.js';

const T0 = 1_700_000_000_000;
const prefixes: string[] = [];
const open = (prefix: string, extra: Partial<RedisStateOptions> = {}): Promise<RedisStateStore> =>
  createRedisStateStore({ url: redisUrl, keyPrefix: prefix, failMode: 'open', syncIntervalMs: 60_000, replicaId: Math.random().toString(36), callerClock: true, ...extra });
const freshPrefix = (): string => {
  const p = testKeyPrefix();
  prefixes.push(p);
  return p;
};
const waitFor = async (cond: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), what);
};

await withService(redisService, () => {
  after(async () => {
    for (const p of prefixes) await deleteKeys(p);
  });

  runStateStoreConformance('redis', async () => {
    const prefix = freshPrefix();
    const [a, b] = await Promise.all([open(prefix), open(prefix)]);
    return {
      a, b,
      syncStats: async () => {
        // a sends, b sends and reads both, a reads b's.
        await a.stats.syncNow();
        await b.stats.syncNow();
        await a.stats.syncNow();
      },
      close: async () => {
        await Promise.all([a.close(), b.close()]);
      },
    };
  });

  test('redis: two replicas\' judges spend one daily budget between them, and a refund frees it for either', async () => {
    const prefix = freshPrefix();
    const [a, b] = await Promise.all([open(prefix), open(prefix)]);
    const [ja, jb] = [createJudgeBudget(a, 1_000), createJudgeBudget(b, 1_000)];
    const grants = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? ja : jb).reserve(100, T0)));
    assert.equal(grants.filter(Boolean).length, 10, 'ten 100 µUSD reservations fit 1,000 µUSD across both replicas');
    assert.equal(await ja.reserve(1, T0), false);
    jb.adjust(-300, T0); // calls that cost less than their worst case give the rest back
    let refunded = false;
    // Adjustments reach Redis in the background.
    for (let i = 0; i < 100 && !refunded; i++) {
      refunded = await ja.reserve(250, T0);
      if (!refunded) await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(refunded, 'the refunded 300 µUSD became available to the other replica');
    assert.equal(await jb.reserve(100, T0), false, 'only the refund was free again');
    await Promise.all([a.close(), b.close()]);
  });

  test('redis: a breaker opened on one replica reaches the others, and a new replica loads it at start', async () => {
    const prefix = freshPrefix();
    const a = await open(prefix);
    const b = await open(prefix);
    const heard: Array<[string, BreakerSnapshot]> = [];
    b.onBreaker((id, s) => heard.push([id, s]));
    const snapshot: BreakerSnapshot = { state: 'open', openUntil: Date.now() + 60_000, consecutiveFailures: 3 };
    a.publishBreaker('small', snapshot);
    await waitFor(() => heard.length > 0, 'replica b heard the breaker');
    assert.deepEqual(heard[0], ['small', snapshot]);
    const c = await open(prefix);
    const loaded: string[] = [];
    c.onBreaker((id) => loaded.push(id));
    await waitFor(() => loaded.includes('small'), 'a replica started later loads the open breaker');
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  test('redis: replicas with different config hashes notice each other', async () => {
    const prefix = freshPrefix();
    const foreign: string[] = [];
    const a = await open(prefix, { events: { foreignConfig: (hash) => foreign.push(hash) } });
    a.announceConfig('aaaa');
    const b = await open(prefix);
    b.announceConfig('bbbb');
    await waitFor(() => foreign.includes('bbbb'), 'replica a saw the other hash');
    await Promise.all([a.close(), b.close()]);
  });

  test('redis: an outage falls back to local state (fail-open), is reported once, and spend is resynchronised on return', async () => {
    const proxy = await startTcpProxy('127.0.0.1', Number(new URL(redisUrl).port || 6379));
    const prefix = freshPrefix();
    const changes: boolean[] = [];
    let fallbacks = 0;
    const url = `redis://127.0.0.1:${proxy.port}`;
    const viaProxy = await open(prefix, { url, events: { backendChange: (up) => changes.push(up), fallback: () => fallbacks++ } });
    const direct = await open(prefix);
    const budget = { key: 'budget:outage', limit: 1_000, amount: 400, ttlMs: 600_000 };
    const checks = { buckets: [], budgets: [budget], choices: [] };
    assert.equal(viaProxy.backendUp(), true);
    await proxy.cut();
    await waitFor(() => !viaProxy.backendUp(), 'the outage is noticed');
    assert.equal((await viaProxy.admit(checks, T0)).allowed, true, 'served on local state');
    viaProxy.adjust({ buckets: [], budgets: [{ key: budget.key, delta: -100, ttlMs: 600_000 }] }, T0);
    assert.equal(fallbacks, 1);
    assert.deepEqual(changes, [true, false], 'reported once');
    await proxy.restore();
    await waitFor(() => viaProxy.backendUp(), 'Redis is back');
    // 300 spent during the outage is now in Redis: 700 left for the other replica.
    await waitFor(() => changes.length === 3, 'recovery reported');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await direct.admit({ ...checks, budgets: [{ ...budget, amount: 701 }] }, T0)).allowed, false);
    assert.equal((await direct.admit({ ...checks, budgets: [{ ...budget, amount: 700 }] }, T0)).allowed, true);
    await Promise.all([viaProxy.close(), direct.close(), proxy.close()]);
  });

  test('redis: fail-closed refuses limited requests while Redis is away, and statistics added meanwhile are kept', async () => {
    const proxy = await startTcpProxy('127.0.0.1', Number(new URL(redisUrl).port || 6379));
    const prefix = freshPrefix();
    const store = await open(prefix, { url: `redis://127.0.0.1:${proxy.port}`, failMode: 'closed' });
    const other = await open(prefix);
    await proxy.cut();
    await waitFor(() => !store.backendUp(), 'the outage is noticed');
    const r = await store.admit({ buckets: [{ key: 'rl:x', capacity: 5, refillPerMs: 1, cost: 1 }], budgets: [], choices: [] }, T0);
    assert.deepEqual(r.refused, { kind: 'unavailable', index: 0 });
    store.stats.add('s', { n: 2 });
    assert.equal(await store.stats.syncNow(), false);
    await proxy.restore();
    await waitFor(() => store.backendUp(), 'Redis is back');
    await store.stats.syncNow();
    await other.stats.syncNow();
    assert.deepEqual(other.stats.get('s'), { n: 2 });
    await Promise.all([store.close(), other.close(), proxy.close()]);
  });

  test('redis: start-up with Redis unreachable serves on local state instead of failing', async () => {
    const changes: boolean[] = [];
    const proxy = await startTcpProxy('127.0.0.1', 1);
    await proxy.cut();
    const store = await open(freshPrefix(), { url: `redis://127.0.0.1:${proxy.port}`, connectTimeoutMs: 300, events: { backendChange: (up) => changes.push(up) } });
    assert.equal(store.backendUp(), false);
    assert.deepEqual(changes, [false]);
    assert.equal((await store.admit({ buckets: [{ key: 'rl:y', capacity: 1, refillPerMs: 1, cost: 1 }], budgets: [], choices: [] }, T0)).allowed, true);
    await store.close();
  });
});
