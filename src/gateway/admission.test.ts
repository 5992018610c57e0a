import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeCostMicroUsd } from '../ledger/compute-cost.js';
import { fixtureTarget } from '../routing/policy-fixtures.js';
import { extractFeatures } from '../routing/extract-features.js';
import type { LimitTable, RateLimit } from '../spec/state.js';
import { createMemoryStateStore } from '../state/memory-state-store.js';
import { createAdmission, type Reservation } from './admission.js';

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
  const first = admitted(admit({ ctx, features, targets: [cheap, mid, strong], panelSize: 2 }));
  assert.throws(() => admit({ ctx, features, targets: [strong], panelSize: 1 }), (e: Error & { code?: string }) => e.code === 'budget_exceeded');
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

test('a panel with nothing after it reserves its members only; the refusal counts the calls', () => {
  const admit = admitter(limitTable({ budgetMicroUsd: worst(1) + worst(2) }));
  admitted(admit({ ctx, features, targets: [cheap, mid], panelSize: 2 }));
  const tokens = features.inputTokens + 100;
  const tight = admitter(limitTable({ tenantTpm: 3 * tokens - 1 }));
  assert.throws(() => tight({ ctx, features, targets: [cheap, mid, strong], panelSize: 2 }), /may use \d+ tokens \(prompt \+ max output, for each of the 3 calls its agreement panel and escalation may make\)/);
  admitted(tight({ ctx, features, targets: [cheap, mid, strong] }));
});

test('per-model limits: the panel starts only when every member has room, else the chain starts at the next target with room', () => {
  const admit = admitter(limitTable({ models: { mid: { rpm: 1 }, cheap: { rpm: 5 } } }));
  const run = (): Pick<Reservation, 'start' | 'panel'> => {
    const { start, panel } = admitted(admit({ ctx, features, targets: [cheap, mid, strong], panelSize: 2 }));
    return { start, panel };
  };
  assert.deepEqual(run(), { start: 0, panel: true });
  // mid's one request a minute is taken: no panel, but cheap still has room and answers alone.
  assert.deepEqual(run(), { start: 0, panel: false });
  // Nothing limits strong: the route is never refused for its models' limits.
  for (let i = 0; i < 3; i++) run();
  assert.deepEqual(run(), { start: 2, panel: false });
});
