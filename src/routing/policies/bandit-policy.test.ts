import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlanInput, RoutingPolicy } from '../../spec/routing.js';
import { createMemorySharedStats } from '../../state/memory-shared-stats.js';
import { createPolicy, policyConfigSchema } from '../policy-config.js';
import { fixtureInput, fixtureTarget } from '../policy-fixtures.js';

const seeded = (seed: number) => () => {
  seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
  return seed / 4_294_967_296;
};
const targets = [fixtureTarget('small', 0.2), fixtureTarget('large', 10)];
const CODE = 'Write a python function that reverses a linked list';
const TRANSLATE = 'Translate into French: good morning';

const bandit = (over: Record<string, unknown> = {}, stats = createMemorySharedStats()): RoutingPolicy =>
  createPolicy(policyConfigSchema.parse({ type: 'bandit', ...over }), { bandit: { route: 'r', stats, lambdaFor: () => 10 } });

/** Feeds `n` outcomes of `target` on `text` with quality drawn as Bernoulli(p). */
const teach = (policy: RoutingPolicy, text: string, target: string, p: number, n: number, tenant = 't', random = seeded(99)): void => {
  const input = fixtureInput(text, targets);
  const { decision } = policy.plan(input);
  for (let i = 0; i < n; i++) {
    policy.learner?.learn({ decisionId: `d${i}`, tenant, chosen: target, context: decision.context ?? [], quality: random() < p ? 1 : 0, weight: 1, costMicroUsd: 10, segment: decision.segment ?? '' });
  }
};

const picks = (policy: RoutingPolicy, input: Omit<PlanInput, 'random'>, n: number): Map<string, number> => {
  const random = seeded(7);
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = policy.plan({ ...input, random }).targets[0]?.id ?? '';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
};

test('cold start: premium traffic (floor 0.8) gets the strongest candidate, deterministically', () => {
  const policy = bandit();
  const plan = policy.plan(fixtureInput(CODE, targets, { tier: 'premium' }));
  assert.equal(plan.targets[0]?.id, 'large');
  assert.equal(plan.decision.propensity, 1);
  assert.match(plan.decision.reason, /no-candidate-meets-floor/);
});

test('safety: a cheap model that is good on average but uncertain is never explored below the premium floor', () => {
  // λ 100 makes the strong model's price matter, so the cheap one is worth exploring where no floor applies.
  const policy = bandit({ epsilon: 0.5, lambda: 100 });
  teach(policy, CODE, 'small', 0.7, 200);
  teach(policy, CODE, 'large', 0.97, 200);
  const premium = picks(policy, fixtureInput(CODE, targets, { tier: 'premium' }), 2000);
  assert.deepEqual([...premium.keys()], ['large']);
  const considered = policy.plan(fixtureInput(CODE, targets, { tier: 'premium' })).decision.considered;
  assert.equal(considered.find((c) => c.targetId === 'small')?.excluded, 'below-floor');
  // Standard traffic (no floor) does explore the cheap model.
  const standard = picks(policy, fixtureInput(CODE, targets), 2000);
  assert.ok((standard.get('small') ?? 0) > 100, JSON.stringify([...standard]));
});

test('a product line configured as high-value has its own floor', () => {
  const policy = bandit({ epsilon: 0.5, floors: [{ tags: { product: 'checkout' }, floor: 0.9 }] });
  teach(policy, CODE, 'small', 0.75, 300);
  teach(policy, CODE, 'large', 0.99, 300);
  assert.deepEqual([...picks(policy, fixtureInput(CODE, targets, { tags: { product: 'checkout' } }), 1000).keys()], ['large']);
});

test('it learns: when the cheap model is as good, it serves it (cost-aware); when it is bad, the strong one', () => {
  // λ 30: the price gap (≈ 0.23 of reward) outweighs a 0.01 quality gap and is outweighed by a 0.85 one.
  const policy = bandit({ epsilon: 0.02, lambda: 30 });
  teach(policy, TRANSLATE, 'small', 0.95, 300);
  teach(policy, TRANSLATE, 'large', 0.96, 300);
  teach(policy, CODE, 'small', 0.1, 300);
  teach(policy, CODE, 'large', 0.95, 300);
  const easy = picks(policy, fixtureInput(TRANSLATE, targets), 500);
  const hard = picks(policy, fixtureInput(CODE, targets), 500);
  assert.ok((easy.get('small') ?? 0) > 450, JSON.stringify([...easy]));
  assert.ok((hard.get('large') ?? 0) > 450, JSON.stringify([...hard]));
});

test('propensities are exact: they sum to one over the arms and match the observed frequencies', () => {
  const policy = bandit({ epsilon: 0.3 });
  teach(policy, TRANSLATE, 'small', 0.95, 300);
  teach(policy, TRANSLATE, 'large', 0.96, 300);
  const input = fixtureInput(TRANSLATE, targets);
  const random = seeded(3);
  const byArm = new Map<string, { n: number; p: number }>();
  const n = 4000;
  for (let i = 0; i < n; i++) {
    const plan = policy.plan({ ...input, random });
    const id = plan.targets[0]?.id ?? '';
    byArm.set(id, { n: (byArm.get(id)?.n ?? 0) + 1, p: plan.decision.propensity });
  }
  const total = [...byArm.values()].reduce((s, a) => s + a.p, 0);
  assert.ok(Math.abs(total - 1) < 1e-9, `sum ${total}`);
  for (const [id, a] of byArm) assert.ok(Math.abs(a.n / n - a.p) < 0.03, `${id}: freq ${a.n / n} vs propensity ${a.p}`);
});

test("per-tenant statistics: a tenant with enough evidence of its own is served by them; others by the global ones", () => {
  const policy = bandit({ epsilon: 0, minTenantObservations: 50 });
  teach(policy, TRANSLATE, 'small', 0.95, 200, 'a');
  teach(policy, TRANSLATE, 'large', 0.95, 200, 'a');
  teach(policy, TRANSLATE, 'small', 0.05, 400, 'b');
  teach(policy, TRANSLATE, 'large', 0.95, 400, 'b');
  assert.equal(policy.plan(fixtureInput(TRANSLATE, targets, { tenant: 'a' })).targets[0]?.id, 'small');
  assert.equal(policy.plan(fixtureInput(TRANSLATE, targets, { tenant: 'b' })).targets[0]?.id, 'large');
  // A new tenant backs off to the pooled (global) statistics, dominated here by b's evidence.
  assert.equal(policy.plan(fixtureInput(TRANSLATE, targets, { tenant: 'new' })).targets[0]?.id, 'large');
});

test('snapshot and restore: the state (and the version stamped on decisions) goes back to the snapshot', () => {
  const stats = createMemorySharedStats();
  const policy = bandit({ epsilon: 0 }, stats);
  teach(policy, TRANSLATE, 'small', 0.95, 100);
  const blob = policy.learner?.snapshot() ?? '';
  const before = policy.plan(fixtureInput(TRANSLATE, targets)).decision.considered;
  teach(policy, TRANSLATE, 'small', 0, 300);
  assert.notDeepEqual(policy.plan(fixtureInput(TRANSLATE, targets)).decision.considered, before);
  policy.learner?.restore(blob, 'v-restored');
  const after = policy.plan(fixtureInput(TRANSLATE, targets));
  assert.equal(after.decision.policyVersion, 'v-restored');
  assert.equal(policy.version, 'v-restored');
  for (const [i, c] of after.decision.considered.entries()) assert.ok(Math.abs((c.pQuality ?? 0) - (before[i]?.pQuality ?? 0)) < 1e-9);
  // A second policy on the same statistics (another replica) sees the restored state too.
  const replica = bandit({ epsilon: 0 }, stats);
  assert.ok(Math.abs((replica.plan(fixtureInput(TRANSLATE, targets)).decision.considered[0]?.pQuality ?? 0) - (before[0]?.pQuality ?? 0)) < 1e-9);
});

test('drift: evidence is discounted (wider confidence) and exploration boosted at once', () => {
  // UCB: the greedy arm's propensity is exactly 1 − ε + ε/2, so the boost of ε reads off it.
  const policy = bandit({ exploration: 'ucb', epsilon: 0.05, maxExplorationBoost: 4, driftDiscount: 0.25 });
  teach(policy, TRANSLATE, 'small', 0.95, 300);
  teach(policy, TRANSLATE, 'large', 0.96, 300);
  const input = fixtureInput(TRANSLATE, targets);
  const propensityOfGreedy = (): number => policy.plan({ ...input, random: () => 0.99 }).decision.propensity;
  assert.ok(Math.abs(propensityOfGreedy() - (1 - 0.05 + 0.05 / 2)) < 1e-9);
  policy.learner?.onDrift(null);
  assert.ok(Math.abs(propensityOfGreedy() - (1 - 0.2 + 0.2 / 2)) < 1e-9);
});

test('exploration favours a segment whose share of traffic grew since the last snapshot', () => {
  const policy = bandit({ exploration: 'ucb', epsilon: 0.05, volumeWindow: 100, maxExplorationBoost: 3 });
  const observe = (text: string, n: number): void => {
    const d = policy.plan(fixtureInput(text, targets)).decision;
    for (let i = 0; i < n; i++) policy.learner?.observe?.(d, 't');
  };
  observe(TRANSLATE, 90);
  observe(CODE, 10);
  observe(TRANSLATE, 60);
  observe(CODE, 40);
  const epsilonOf = (text: string): number => {
    const p = policy.plan({ ...fixtureInput(text, targets), random: () => 0.99 }).decision.propensity;
    return 2 * (1 - p);
  };
  assert.ok(epsilonOf(CODE) > 0.14, `code ε ${epsilonOf(CODE)}`);
  assert.ok(Math.abs(epsilonOf(TRANSLATE) - 0.05) < 1e-9, `translation ε ${epsilonOf(TRANSLATE)}`);
});

test('cost is known, only quality is uncertain: an arm whose price alone makes it hopeless is never explored, even at cold start', () => {
  // λ 2,000 per USD: the large model's expected cost penalty (≈ 5) exceeds any quality it could add (≤ 1).
  const policy = bandit({ epsilon: 0.5, lambda: 2000 });
  const counts = picks(policy, fixtureInput(TRANSLATE, targets), 1000);
  assert.deepEqual([...counts.keys()], ['small']);
  assert.equal(policy.plan(fixtureInput(TRANSLATE, targets)).decision.propensity, 1);
  // With a λ at which the strong model might be worth it, the same cold start explores it.
  const cheapLambda = picks(bandit({ epsilon: 0.5, lambda: 10 }), fixtureInput(TRANSLATE, targets), 1000);
  assert.ok((cheapLambda.get('large') ?? 0) > 100 && (cheapLambda.get('small') ?? 0) > 100, JSON.stringify([...cheapLambda]));
});

test('elimination follows the evidence: once the cheap arm is known to be good enough, the dear one drops out', () => {
  const policy = bandit({ epsilon: 0.3, lambda: 100 });
  teach(policy, TRANSLATE, 'small', 0.95, 300);
  teach(policy, TRANSLATE, 'large', 0.96, 300);
  // Large's reward is at most min(1, 0.96 + width) − 0.27 < small's pessimistic ≈ 0.95 − width.
  assert.deepEqual([...picks(policy, fixtureInput(TRANSLATE, targets), 500).keys()], ['small']);
  // On code the cheap one fails: the large one wins and the cheap one is out instead.
  teach(policy, CODE, 'small', 0.05, 300);
  teach(policy, CODE, 'large', 0.95, 300);
  assert.deepEqual([...picks(policy, fixtureInput(CODE, targets), 500).keys()], ['large']);
});

test('a new task mix (feature drift) boosts exploration only where traffic grew and forgets nothing', () => {
  const policy = bandit({ exploration: 'ucb', epsilon: 0.05, maxExplorationBoost: 4 });
  teach(policy, TRANSLATE, 'small', 0.95, 300);
  teach(policy, TRANSLATE, 'large', 0.96, 300);
  teach(policy, CODE, 'small', 0.9, 300);
  teach(policy, CODE, 'large', 0.95, 300);
  const greedyPropensity = (text: string): number => policy.plan({ ...fixtureInput(text, targets), random: () => 0.99 }).decision.propensity;
  const before = policy.plan(fixtureInput(CODE, targets)).decision.considered;
  const segment = policy.plan(fixtureInput(CODE, targets)).decision.segment ?? '';
  policy.learner?.onDrift(`*${segment.slice(segment.indexOf('/'))}`, 'features');
  assert.ok(Math.abs(greedyPropensity(CODE) - (1 - 0.2 + 0.2 / 2)) < 1e-9);
  assert.ok(Math.abs(greedyPropensity(TRANSLATE) - (1 - 0.05 + 0.05 / 2)) < 1e-9);
  assert.deepEqual(policy.plan(fixtureInput(CODE, targets)).decision.considered, before);
});

test('Thompson sampling: an unlucky cheaper arm keeps being retried while its interval overlaps the leader (no lock-in)', () => {
  // After 40 answers the cheap arm looks worse than it is (its estimate 0.5 against a true 0.7);
  // the dear one is well known. UCB with little optimism never retries the cheap arm; Thompson does,
  // and once it has, its estimate recovers and it takes over.
  const run = (exploration: 'ucb' | 'thompson'): number => {
    const policy = bandit({ exploration, alpha: 0.1, epsilon: 0, lambda: 30 });
    teach(policy, CODE, 'small', 0.5, 40, 't', seeded(5));
    teach(policy, CODE, 'large', 0.85, 400);
    const random = seeded(21);
    const truth = seeded(8);
    let cheap = 0;
    for (let i = 0; i < 3000; i++) {
      const plan = policy.plan({ ...fixtureInput(CODE, targets), random });
      const chosen = plan.targets[0]?.id ?? '';
      if (i >= 2500 && chosen === 'small') cheap += 1;
      const quality = truth() < (chosen === 'small' ? 0.7 : 0.85) ? 1 : 0;
      policy.learner?.learn({ decisionId: `x${i}`, tenant: 't', chosen, context: plan.decision.context ?? [], quality, weight: 1, costMicroUsd: 10, segment: plan.decision.segment ?? '' });
    }
    return cheap / 500;
  };
  // Rewards: small 0.7 − 0.005 against large 0.85 − 0.235: the cheap arm is the better one.
  assert.ok(run('ucb') < 0.1, `ucb ${run('ucb')}`);
  assert.ok(run('thompson') > 0.8, `thompson ${run('thompson')}`);
});

test('Thompson sampling: a drift boost widens the draws, so the trailing arm is picked more often', () => {
  const policy = bandit({ exploration: 'thompson', epsilon: 0, maxExplorationBoost: 4, lambda: 10 });
  teach(policy, TRANSLATE, 'small', 0.95, 20);
  teach(policy, TRANSLATE, 'large', 0.9, 20);
  const share = (): number => (picks(policy, fixtureInput(TRANSLATE, targets), 2000).get('large') ?? 0) / 2000;
  const before = share();
  policy.learner?.onDrift(null, 'features');
  const after = share();
  assert.ok(after > before + 0.05, `large picked ${before} before, ${after} after the boost`);
});
