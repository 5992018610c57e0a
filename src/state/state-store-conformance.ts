import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AdmissionChecks, BucketCheck, StateStore } from '../spec/state.js';

/** Two handles on one shared state (two replicas on one Redis; the same object in memory). */
export interface StatePair {
  a: StateStore;
  b: StateStore;
  /** Waits until both replicas' statistics are synchronised. */
  syncStats(): Promise<void>;
  close(): Promise<void>;
}

const T0 = 1_700_000_000_000;
const bucket = (key: string, capacity: number, perMinute: number, cost = 1): BucketCheck => ({ key, capacity, refillPerMs: perMinute / 60_000, cost });
const only = (buckets: BucketCheck[], extra: Partial<AdmissionChecks> = {}): AdmissionChecks => ({ buckets, budgets: [], choices: [], ...extra });

const withPair = (open: () => Promise<StatePair>, body: (p: StatePair) => Promise<void>) => async (): Promise<void> => {
  const pair = await open();
  try {
    await body(pair);
  } finally {
    await pair.close();
  }
};

/** The behaviour every StateStore must have; run against the memory and the Redis store. */
export const runStateStoreConformance = (name: string, open: () => Promise<StatePair>): void => {
  test(`${name}: a bucket admits its capacity, refuses with a retry-after, and refills with time`, withPair(open, async ({ a, b }) => {
    const c = only([bucket('rl:k', 3, 60)]);
    const results = [await a.admit(c, T0), await b.admit(c, T0), await a.admit(c, T0), await b.admit(c, T0)];
    assert.deepEqual(results.map((r) => r.allowed), [true, true, true, false]);
    assert.equal(results[3]?.refused?.kind, 'bucket');
    assert.equal(results[3]?.retryAfterMs, 1_000);
    assert.equal((await a.admit(c, T0 + 999)).allowed, false);
    assert.equal((await b.admit(c, T0 + 1_000)).allowed, true);
  }));

  test(`${name}: several buckets are all-or-nothing`, withPair(open, async ({ a }) => {
    const key = bucket('rl:key', 10, 60);
    const tenant = bucket('rl:tenant', 1, 60);
    assert.equal((await a.admit(only([key, tenant]), T0)).allowed, true);
    const refused = await a.admit(only([key, tenant]), T0);
    assert.deepEqual(refused.refused, { kind: 'bucket', index: 1 });
    // The refused request took nothing from the first bucket: 9 left, not 8.
    for (let i = 0; i < 9; i++) assert.equal((await a.admit(only([key]), T0)).allowed, true, `take ${i}`);
    assert.equal((await a.admit(only([key]), T0)).allowed, false);
  }));

  test(`${name}: a cost above what is left waits for the missing tokens`, withPair(open, async ({ a }) => {
    assert.equal((await a.admit(only([bucket('rl:tpm', 1_000, 60_000, 800)]), T0)).allowed, true);
    const r = await a.admit(only([bucket('rl:tpm', 1_000, 60_000, 500)]), T0);
    assert.equal(r.allowed, false);
    assert.equal(r.retryAfterMs, 300);
  }));

  test(`${name}: adjustments give tokens back, never above capacity`, withPair(open, async ({ a, b }) => {
    const tpm = bucket('rl:tpm2', 1_000, 60, 900);
    assert.equal((await a.admit(only([tpm]), T0)).allowed, true);
    b.adjust({ buckets: [{ key: tpm.key, capacity: 1_000, refillPerMs: tpm.refillPerMs, delta: 5_000 }], budgets: [] }, T0);
    await settle(b);
    assert.equal((await a.admit(only([{ ...tpm, cost: 1_000 }]), T0)).allowed, true);
    assert.equal((await a.admit(only([{ ...tpm, cost: 1 }]), T0)).allowed, false);
  }));

  test(`${name}: budgets reserve, refuse beyond the limit, and free what a commit or refund gives back`, withPair(open, async ({ a, b }) => {
    const budget = { key: 'budget:t', limit: 1_000, amount: 600, ttlMs: 60_000 };
    assert.equal((await a.admit(only([], { budgets: [budget] }), T0)).allowed, true);
    const refused = await b.admit(only([], { budgets: [budget] }), T0);
    assert.deepEqual(refused.refused, { kind: 'budget', index: 0 });
    // The request actually cost 100 of the 600 reserved.
    a.adjust({ buckets: [], budgets: [{ key: budget.key, delta: -500, ttlMs: 60_000 }] }, T0);
    await settle(a);
    assert.equal((await b.admit(only([], { budgets: [budget] }), T0)).allowed, true);
    assert.equal((await a.admit(only([], { budgets: [{ ...budget, amount: 301 }] }), T0)).allowed, false);
    assert.equal((await a.admit(only([], { budgets: [{ ...budget, amount: 300 }] }), T0)).allowed, true);
  }));

  test(`${name}: a refused budget charges no bucket`, withPair(open, async ({ a }) => {
    const rpm = bucket('rl:b', 1, 60);
    const r = await a.admit(only([rpm], { budgets: [{ key: 'budget:none', limit: 10, amount: 11, ttlMs: 60_000 }] }), T0);
    assert.equal(r.refused?.kind, 'budget');
    assert.equal((await a.admit(only([rpm]), T0)).allowed, true);
  }));

  test(`${name}: choices take the first alternative with room; none left is a refusal`, withPair(open, async ({ a, b }) => {
    const first = [bucket('rl:m1', 1, 60)];
    const second = [bucket('rl:m2', 1, 30), bucket('rl:m2t', 100, 6_000, 10)];
    const checks = only([], { choices: [first, second] });
    assert.equal((await a.admit(checks, T0)).choice, 0);
    assert.equal((await b.admit(checks, T0)).choice, 1);
    const none = await a.admit(checks, T0);
    assert.equal(none.allowed, false);
    assert.equal(none.refused?.kind, 'choices');
    assert.equal(none.retryAfterMs, 1_000, 'the alternative that frees up first');
  }));

  test(`${name}: concurrent admissions from two replicas never exceed the bucket`, withPair(open, async ({ a, b }) => {
    const c = only([bucket('rl:race', 50, 1)]);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).admit(c, T0)));
    assert.equal(results.filter((r) => r.allowed).length, 50);
  }));

  test(`${name}: shared statistics added on one replica are read on the other`, withPair(open, async ({ a, b, syncStats }) => {
    a.stats.add('bandit:auto:arm1', { n: 1, reward: 0.5 });
    b.stats.add('bandit:auto:arm1', { n: 2, reward: 1.25 });
    b.stats.add('bandit:auto:arm2', { n: 1 });
    a.stats.add('other:x', { n: 1 });
    assert.equal(a.stats.get('bandit:auto:arm1')?.['n'] !== undefined, true, 'own adds are visible at once');
    await syncStats();
    for (const s of [a.stats, b.stats]) {
      assert.deepEqual(s.get('bandit:auto:arm1'), { n: 3, reward: 1.75 });
      assert.deepEqual(s.keys('bandit:').sort(), ['bandit:auto:arm1', 'bandit:auto:arm2']);
    }
    assert.equal(a.stats.get('never'), undefined);
  }));
};

/** Adjustments are fire-and-forget; a round trip through the store lets them land. */
const settle = async (s: StateStore): Promise<void> => {
  await s.admit(only([], { budgets: [{ key: 'budget:settle', limit: 1, amount: 0, ttlMs: 1_000 }] }), T0);
};
