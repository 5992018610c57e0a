import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOpePolicy } from './ope-policy.js';
import { evaluateOffPolicy, type LoggedDecision } from './ope.js';
import { solveSpd } from './ope-reward-model.js';

const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const ARMS = ['a', 'b', 'c'];
/** True expected quality of each arm in context x = [1, u, v]. */
const mu = (arm: string, x: readonly number[]): number => (arm === 'a' ? 0.2 + 0.6 * (x[1] ?? 0) : arm === 'b' ? 0.7 - 0.4 * (x[2] ?? 0) : 0.5);
const COST: Record<string, number> = { a: 0.001, b: 0.002, c: 0.01 };
/** The logging policy: stochastic, context-dependent, every arm with probability ≥ 0.2. */
const logging = (x: readonly number[]): number[] => ((x[1] ?? 0) > 0.5 ? [0.5, 0.3, 0.2] : [0.2, 0.3, 0.5]);

const simulate = (seed: number, n: number): { log: LoggedDecision[]; contexts: number[][] } => {
  const random = prng(seed);
  const log: LoggedDecision[] = [];
  const contexts: number[][] = [];
  for (let i = 0; i < n; i++) {
    const x = [1, random(), random()];
    const p = logging(x);
    const r = random();
    const k = r < (p[0] ?? 0) ? 0 : r < (p[0] ?? 0) + (p[1] ?? 0) ? 1 : 2;
    const arm = ARMS[k] ?? 'a';
    contexts.push(x);
    log.push({ arm, propensity: p[k] ?? 1, context: x, quality: random() < mu(arm, x) ? 1 : 0, costUsd: COST[arm] ?? 0 });
  }
  return { log, contexts };
};

// The candidate: greedy on the true means, with 10% uniform exploration.
const candidate = createOpePolicy({ kind: 'linear', epsilon: 0.1, arms: { a: [0.2, 0.6, 0], b: [0.7, 0, -0.4], c: [0.5, 0, 0] } });
const trueValue = (contexts: readonly number[][], f: (arm: string, x: readonly number[]) => number): number =>
  contexts.reduce((s, x) => s + [...candidate.probabilities(x, ARMS)].reduce((a, [arm, p]) => a + p * f(arm, x), 0), 0) / contexts.length;

test('IPS, SNIPS and DR recover the true value of a candidate on a synthetic log (40 fixed seeds)', () => {
  const errors = { ips: [] as number[], snips: [] as number[], dr: [] as number[], cost: [] as number[] };
  for (let seed = 1; seed <= 40; seed++) {
    const { log, contexts } = simulate(seed, 2_000);
    const report = evaluateOffPolicy(log, candidate);
    const truth = trueValue(contexts, mu);
    errors.ips.push((report.quality?.ips ?? 0) - truth);
    errors.snips.push((report.quality?.snips ?? 0) - truth);
    errors.dr.push((report.quality?.dr ?? 0) - truth);
    errors.cost.push(report.costUsd.dr - trueValue(contexts, (arm) => COST[arm] ?? 0));
    assert.deepEqual(report.warnings, [], `seed ${seed}: well supported, no warning`);
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const rmse = (xs: number[]): number => Math.sqrt(mean(xs.map((e) => e * e)));
  // Unbiased: the mean error over 40 seeds is within ~3 standard errors of 0 (se ≈ 0.04/√40).
  for (const k of ['ips', 'snips', 'dr'] as const) assert.ok(Math.abs(mean(errors[k])) < 0.02, `${k} bias ${mean(errors[k])}`);
  // The reward model is right here (linear truth), so DR has lower error than IPS.
  assert.ok(rmse(errors.dr) < rmse(errors.ips), `DR rmse ${rmse(errors.dr)} vs IPS ${rmse(errors.ips)}`);
  assert.ok(rmse(errors.dr) < 0.03, `DR rmse ${rmse(errors.dr)}`);
  assert.ok(Math.abs(mean(errors.cost)) < 2e-4, `cost bias ${mean(errors.cost)}`);
});

test('poor support is flagged: a deterministic log and a candidate that disagrees with it', () => {
  const { log } = simulate(7, 500);
  const deterministic = log.map((d) => ({ ...d, arm: 'a', propensity: 1 }));
  const report = evaluateOffPolicy(deterministic, createOpePolicy({ kind: 'fixed', target: 'c' }));
  assert.equal(report.effectiveSampleSize, 0);
  assert.equal(report.matchRate, 0);
  assert.equal(report.unsupportedMass, 1);
  assert.ok(report.warnings.some((w) => w.startsWith('poor support')));
  assert.ok(report.warnings.some((w) => w.includes('never chose')));
  const agreeing = evaluateOffPolicy(deterministic, createOpePolicy({ kind: 'table', probabilities: { a: 1 } }));
  assert.equal(agreeing.matchRate, 1);
  assert.ok(Math.abs((agreeing.quality?.ips ?? 0) - (agreeing.logged.quality ?? 0)) < 1e-12, 'evaluating the logging policy itself gives what it got');
});

test('decisions without feedback count for cost only; invalid propensities are skipped with a warning', () => {
  const { log } = simulate(3, 200);
  const partial = log.map((d, i) => (i % 2 ? { ...d, quality: null } : d));
  partial.push({ arm: 'a', propensity: 0, context: [1, 0, 0], quality: 1, costUsd: 0 });
  const report = evaluateOffPolicy(partial, candidate);
  assert.equal(report.decisions, 200);
  assert.equal(report.withFeedback, 100);
  assert.ok(report.warnings.some((w) => w.includes('1 decisions skipped')));
  assert.ok(report.warnings.some((w) => w.includes('have no feedback')));
});

test('the Cholesky solve inverts a small SPD system', () => {
  const w = solveSpd([[4, 2], [2, 3]], [2, 1]);
  assert.ok(Math.abs((w[0] ?? 0) - 0.5) < 1e-12 && Math.abs(w[1] ?? 1) < 1e-12);
});

test('the log join takes each decision\'s strongest feedback source and its ledger cost', async () => {
  const { joinDecisions } = await import('./ope-log.js');
  const decision = (id: string) => ({ decisionId: id, requestId: id, ts: 0, tenant: 't', route: 'r', policy: 'bandit', policyVersion: 'v', chosen: 'a', served: 'a', propensity: 0.5, considered: [], context: [1, 0], taskType: 'qa', costMicroUsd: 1_500, latencyMs: 1, status: 200 });
  const fb = (id: string, source: 'user' | 'judge', value: number, metric = 'score') => ({ decisionId: id, tenant: 't', metric, value, source, ts: 0 });
  const joined = joinDecisions([decision('1'), decision('2'), decision('3')], [fb('1', 'judge', 0.2), fb('1', 'user', 1), fb('2', 'judge', 0.4), fb('3', 'user', 1, 'thumbs')], { metric: 'score' });
  assert.deepEqual(joined.map((d) => d.quality), [1, 0.4, null]);
  assert.equal(joined[0]?.costUsd, 0.0015);
  assert.equal(joined[0]?.propensity, 0.5);
});
