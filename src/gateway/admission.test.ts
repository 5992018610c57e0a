import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeCostMicroUsd } from '../ledger/compute-cost.js';
import { fixtureTarget } from '../routing/policy-fixtures.js';
import { extractFeatures } from '../routing/extract-features.js';
import type { LimitTable, RateLimit } from '../spec/state.js';
import { createMemoryStateStore } from '../state/memory-state-store.js';
import type { Target } from '../spec/catalog.js';
import type { AttemptRecord } from './attempt-types.js';
import { createAdmission, type ChainCalls, type Reservation } from './admission.js';

const NOW = Date.UTC(2026, 11, 7, 12);
const features = extractFeatures({ model: 'auto', stream: false, includeUsage: false, maxTokens: 100, messages: [{ role: 'user', content: 'hi there' }] });
const ctx = { tenant: 'acme', tier: 'standard', tags: {}, apiKeyId: 'k1' };
// $1, $2 and $10 per 1M input tokens (three times that for output).
const [cheap, mid, strong] = [fixtureTarget('cheap', 1), fixtureTarget('mid', 2), fixtureTarget('strong', 10)] as const;
/** One call's worst case on a target: the prompt plus max_tokens of output. */
const worst = (price: number): number => computeCostMicroUsd({ inputTokens: features.inputTokens, outputTokens: 100, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }, fixtureTarget('x', price).model.prices);

const limitTable = (o: { budgetMicroUsd?: number; tenantTpm?: number; models?: Record<string, RateLimit> }): LimitTable => ({
  keys: new Map(), defaultKey: undefined, defaultTenant: undefined,
  tenants: new Map(o.tenantTpm === undefined ? [] : [['acme', { tpm: o.tenantTpm }]]),
  models: new Map(Object.entries(o.models ?? {})),
  budgets: { tenants: new Map(o.budgetMicroUsd === undefined ? [] : [['acme', [{ scope: 'tenant', id: 'acme', limitMicroUsd: o.budgetMicroUsd, period: 'day' }]]]), keys: new Map(), tags: new Map() },
  any: true,
});

/** Two members answer together, then one target answers (a panel guard); or each later target may answer (a scoring cascade). */
const PANEL: ChainCalls = { panel: 2, escalating: false, maxTargets: 4 };
const PANEL_CASCADE: ChainCalls = { ...PANEL, escalating: true };

const admitter = (limits: LimitTable) => createAdmission({ store: createMemoryStateStore(), limits, costOf: computeCostMicroUsd, now: () => NOW });
const admitted = (r: Reservation | Promise<Reservation> | null): Reservation => {
  assert.ok(r && !(r instanceof Promise));
  return r;
};

test('one target at a time: the budget holds the dearest call; a panel: every member plus the dearest escalation', () => {
  const single = worst(10);
  const panel = worst(1) + worst(2) + worst(10);
  // A budget with room for exactly one panel request: the second is refused until the first settles.
  const admit = admitter(limitTable({ budgetMicroUsd: panel }));
  const first = admitted(admit({ ctx, features, targets: [cheap, mid, strong], calls: PANEL }));
  assert.throws(() => admit({ ctx, features, targets: [strong] }), (e: Error & { code?: string }) => e.code === 'budget_exceeded');
  first.settle(0, 0);
  // Without the panel, the same budget holds several single-target reservations of the dearest call.
  const plain = admitter(limitTable({ budgetMicroUsd: panel }));
  let held = 0;
  for (; held < 10; held++) {
    try {
      admitted(plain({ ctx, features, targets: [cheap, mid, strong] }));
    } catch {
      break;
    }
  }
  assert.equal(held, Math.floor(panel / single));
});

test('a scoring cascade may bill every target it reaches: the budget holds them all, up to maxTargets', () => {
  const all = worst(1) + worst(2) + worst(10) + worst(1);
  const admit = admitter(limitTable({ budgetMicroUsd: all }));
  const targets = [cheap, mid, strong, fixtureTarget('cheap', 1, {}, 'again')];
  const first = admitted(admit({ ctx, features, targets, calls: PANEL_CASCADE }));
  assert.throws(() => admit({ ctx, features, targets: [cheap] }), /budget/);
  first.settle(0, 0);
  // maxTargets 1 after the panel: the last target is never reached, so not reserved.
  const bounded = admitter(limitTable({ budgetMicroUsd: worst(1) + worst(2) + worst(10) }));
  admitted(bounded({ ctx, features, targets, calls: { ...PANEL_CASCADE, maxTargets: 1 } }));
});

test('the refusal of a request too big for a TPM limit counts the calls it may make', () => {
  const tokens = features.inputTokens + 100;
  const tight = admitter(limitTable({ tenantTpm: 3 * tokens - 1 }));
  // A scoring cascade may call all three with or without its panel: refused, naming the calls.
  assert.throws(() => tight({ ctx, features, targets: [cheap, mid, strong], calls: PANEL_CASCADE }), /may use \d+ tokens \(prompt \+ max output of each of the 3 calls it may make\)/);
  admitted(tight({ ctx, features, targets: [cheap, mid, strong] }));
});

test('per-model limits: the panel starts only when every member has room, else the chain starts at the next target with room', () => {
  const admit = admitter(limitTable({ models: { mid: { rpm: 1 }, cheap: { rpm: 5 } } }));
  const run = (): Pick<Reservation, 'start' | 'panel'> => {
    const { start, panel } = admitted(admit({ ctx, features, targets: [cheap, mid, strong], calls: PANEL }));
    return { start, panel };
  };
  assert.deepEqual(run(), { start: 0, panel: true });
  // mid's one request a minute is taken: no panel, but cheap still has room and answers alone.
  assert.deepEqual(run(), { start: 0, panel: false });
  // Nothing limits strong: the route is never refused for its models' limits.
  for (let i = 0; i < 3; i++) run();
  assert.deepEqual(run(), { start: 2, panel: false });
});

test('two members on one model: its limits count both calls, once', () => {
  const twin = fixtureTarget('cheap', 1, { temperature: 0 }, 'cold');
  const admit = admitter(limitTable({ models: { cheap: { rpm: 3 } } }));
  assert.deepEqual(admitted(admit({ ctx, features, targets: [cheap, twin, strong], calls: PANEL })).panel, true);
  // One request a minute left on `cheap`: not enough for both members, enough for `cheap` alone.
  const second = admitted(admit({ ctx, features, targets: [cheap, twin, strong], calls: PANEL }));
  assert.deepEqual({ start: second.start, panel: second.panel }, { start: 0, panel: false });
});

test('a model\'s TPM is settled with that model\'s tokens, the key\'s and tenant\'s with all of them', () => {
  const tokens = features.inputTokens + 100;
  const store = createMemoryStateStore();
  const adjusted: Array<{ key: string; delta: number }> = [];
  const recording = { ...store, adjust: (a: Parameters<typeof store.adjust>[0], now: number) => {
    adjusted.push(...a.buckets.map((b) => ({ key: b.key, delta: b.delta })));
    return store.adjust(a, now);
  } };
  const admit = createAdmission({ store: recording, limits: limitTable({ tenantTpm: 10 * tokens, models: { cheap: { tpm: 5 * tokens }, mid: { tpm: 5 * tokens } } }), costOf: computeCostMicroUsd, now: () => NOW });
  // The panel used 10 tokens on cheap, 50 on mid and 30 on strong (its escalation).
  const attempt = (target: Target, tokens: number): AttemptRecord => ({
    attempt: 1, target, startedAt: NOW, latencyMs: 1, ttftMs: null, outcome: 'ok', errorCode: null,
    usage: { inputTokens: tokens - 5, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
  });
  admitted(admit({ ctx, features, targets: [cheap, mid, strong], calls: PANEL })).settle(90, 0, [attempt(cheap, 10), attempt(mid, 50), attempt(strong, 30)]);
  assert.deepEqual(adjusted.sort((a, b) => a.key.localeCompare(b.key)), [
    { key: 'rl:model:cheap:tpm', delta: tokens - 10 },
    { key: 'rl:model:mid:tpm', delta: tokens - 50 },
    { key: 'rl:tenant:acme:tpm', delta: 3 * tokens - 90 },
  ]);
});

test('a panel that a budget or a TPM limit cannot hold whole runs without it when one call fits', () => {
  // Room for one call to strong, not for the panel (cheap + mid + strong).
  const admit = admitter(limitTable({ budgetMicroUsd: worst(10) + worst(1) }));
  const r = admitted(admit({ ctx, features, targets: [cheap, mid, strong], calls: PANEL }));
  assert.deepEqual({ start: r.start, panel: r.panel }, { start: 0, panel: false });
  // It holds one call's worst case (the dearest target), so a cheap second request still fits…
  admitted(admit({ ctx, features, targets: [cheap] }));
  // …and nothing more.
  assert.throws(() => admit({ ctx, features, targets: [cheap] }), /budget/);
  const tokens = features.inputTokens + 100;
  const tpm = admitter(limitTable({ tenantTpm: tokens }));
  assert.equal(admitted(tpm({ ctx, features, targets: [cheap, mid, strong], calls: PANEL })).panel, false);
});
