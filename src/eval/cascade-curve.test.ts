import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cascadeChainList, cascadeChains, cascadeCurve, chooseCascadePoints, paretoFront, type CascadeInputs } from './cascade-curve.js';
import type { PreparedRecord } from './prepare-records.js';

const record = (id: string, q: Record<string, number>, cost: Record<string, number>): PreparedRecord => ({
  id, task: 't', taskType: 'qa', inputTokens: 10, vector: { indices: new Uint32Array(0), values: new Float32Array(0) },
  quality: new Map(Object.entries(q)), costUsd: new Map(Object.entries(cost)), outputTokens: new Map(),
});

// Four prompts: the cheap model is right on the first two, and its answers there score high.
const test4 = [
  record('a', { cheap: 1, mid: 1, strong: 1 }, { cheap: 0.01, mid: 0.1, strong: 1 }),
  record('b', { cheap: 1, mid: 0, strong: 1 }, { cheap: 0.01, mid: 0.1, strong: 1 }),
  record('c', { cheap: 0, mid: 1, strong: 1 }, { cheap: 0.01, mid: 0.1, strong: 1 }),
  record('d', { cheap: 0, mid: 0, strong: 0 }, { cheap: 0.01, mid: 0.1, strong: 1 }),
];
const scored: Record<string, number> = { 'a|cheap': 0.9, 'b|cheap': 0.8, 'c|cheap': 0.2, 'd|cheap': 0.1, 'a|mid': 0.6, 'b|mid': 0.4, 'c|mid': 0.7, 'd|mid': 0.3 };
const inputs: CascadeInputs = {
  score: (id, model) => scored[`${id}|${model}`],
  trainQuality: new Map([['cheap', 0.5], ['mid', 0.6], ['strong', 0.9]]),
  trainCost: new Map([['cheap', 0.01], ['mid', 0.1], ['strong', 1]]),
};

test('the strong model is the best on train, every cheaper one backs it', () => {
  assert.deepEqual(cascadeChains(inputs), { strong: 'strong', cheap: ['cheap', 'mid'] });
  assert.equal(cascadeChains({ ...inputs, trainQuality: new Map([['strong', 1]]) }), null);
});

test('chains: each cheaper model alone, then each pair in order of train cost, always ending with the strong one', () => {
  assert.deepEqual(cascadeChainList(inputs), [['cheap', 'strong'], ['mid', 'strong'], ['cheap', 'mid', 'strong']]);
});

test('a three-step chain escalates step by step with one threshold, paying every answer it reads', () => {
  const at = (t: number) => cascadeCurve(test4, inputs, [t]).find((p) => p.chain === 'cheap>mid>strong');
  // 0.5: a and b stop at cheap (right); c at mid (0.7, right); d reaches strong (wrong).
  const half = at(0.5);
  assert.equal(half?.quality, 0.75);
  assert.ok(Math.abs((half?.cost_usd ?? 0) - (4 * 0.01 + 2 * 0.1 + 1)) < 1e-9);
  assert.equal(half?.escalated, 0.25);
  // 0.65: b (0.8) still stops at cheap; c stops at mid (0.7); d (0.1, 0.3) reaches strong.
  assert.equal(at(0.65)?.escalated, 0.25);
  // 0.85: only a stops at cheap; b (mid 0.4), c (mid 0.7) and d reach strong, which is right on b and c.
  const high = at(0.85);
  assert.equal(high?.escalated, 0.75);
  assert.equal(high?.quality, 0.75);
  assert.ok(Math.abs((high?.cost_usd ?? 0) - (4 * 0.01 + 3 * 0.1 + 3 * 1)) < 1e-9);
});

test('accepted answers keep the cheap quality; escalations score the strong one and pay both', () => {
  const curve = cascadeCurve(test4, inputs, [0, 0.5, 1.01]);
  const at = (chain: string, t: number) => curve.find((p) => p.chain === chain && p.param === t);
  // Threshold 0: everything accepted, the cheap model alone.
  const all = at('cheap>strong', 0);
  assert.equal(all?.quality, 0.5);
  assert.ok(Math.abs((all?.cost_usd ?? 0) - 0.04) < 1e-9);
  assert.equal(all?.escalated, 0);
  // 0.5: a and b accepted (right), c and d escalate (strong right on c only) — 3 of 4, cheap ×4 + strong ×2.
  const half = at('cheap>strong', 0.5);
  assert.equal(half?.quality, 0.75);
  assert.ok(Math.abs((half?.cost_usd ?? 0) - 2.04) < 1e-9);
  assert.equal(half?.escalated, 0.5);
  // Above every score: all escalate, quality is the strong model's, cost both.
  assert.equal(at('cheap>strong', 1.01)?.quality, 0.75);
  assert.ok(Math.abs((at('cheap>strong', 1.01)?.cost_usd ?? 0) - 4.04) < 1e-9);
  // mid: a and c accepted (right), b escalates (strong right), d escalates (strong wrong).
  assert.equal(at('mid>strong', 0.5)?.quality, 0.75);
});

test('a cheap answer without a score goes straight to the strong model, unbilled', () => {
  const curve = cascadeCurve(test4, { ...inputs, score: (id, m) => (id === 'a' ? undefined : inputs.score(id, m)) }, [0]);
  const p = curve.find((x) => x.chain === 'cheap>strong');
  assert.equal(p?.escalated, 0.25);
  assert.ok(Math.abs((p?.cost_usd ?? 0) - (0.03 + 1)) < 1e-9);
});

test('the Pareto front keeps only points nothing beats on both cost and quality', () => {
  const front = paretoFront([{ cost_usd: 2, quality: 0.5, param: 0 }, { cost_usd: 1, quality: 0.6, param: 1 }, { cost_usd: 3, quality: 0.9, param: 2 }, { cost_usd: 1, quality: 0.4, param: 3 }]);
  assert.deepEqual(front.map((p) => p.param), [1, 2]);
});

test('operating points are chosen on train (out-of-fold scores) and then read on test', () => {
  const chosen = chooseCascadePoints(test4, inputs, test4, cascadeCurve(test4, inputs), 0.3);
  assert.equal(chosen?.strong, 'strong');
  // The strong model's train quality (0.75) at the least cost: cheap first, then mid, never strong —
  // at 0.225–0.3 mid answers c (right) and d (wrong, as strong would be): 0.24 where the two-step
  // chain's best paid the strong model twice (2.04).
  assert.equal(chosen?.reachBest?.chain, 'cheap>mid>strong');
  assert.equal(chosen?.reachBest?.threshold, 0.225);
  assert.ok(Math.abs((chosen?.reachBest?.trainCv.costRatio ?? 0) - 0.24 / 4) < 1e-9);
  assert.deepEqual(chosen?.reachBest?.test, chosen?.reachBest?.trainCv, 'the same prompts on both sides give the same figures');
  assert.ok((chosen?.withinShare?.trainCv.costRatio ?? 1) <= 0.3);
  // A train scorer that trusts nothing: only threshold 0 keeps any cheap answer, so that is the point within 30%.
  const distrust = chooseCascadePoints(test4, { ...inputs, score: () => 0 }, test4, cascadeCurve(test4, inputs), 0.3);
  assert.equal(distrust?.withinShare?.threshold, 0);
  // Its strong model's quality comes only from escalating everything, which pays both answers.
  assert.ok((distrust?.reachBest?.trainCv.costRatio ?? 0) > 1);
});
