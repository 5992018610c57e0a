import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureTarget } from '../policy-fixtures.js';
import type { ScoredArm } from './bandit-policy-choice.js';
import { thompsonDraw, thompsonProbability } from './bandit-policy-thompson.js';

const seeded = (seed: number) => () => {
  seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
  return seed / 4_294_967_296;
};
const arm = (mean: number, width: number, penalty: number): ScoredArm => ({ target: fixtureTarget(`m${mean}`, 1), mean, width, penalty, costMicroUsd: 0 });

// Spreads from alike to 300× apart: a well-known leader beside a barely tried challenger.
const cases: Array<[string, ScoredArm[]]> = [
  ['two alike', [arm(0.6, 0.05, 0.1), arm(0.55, 0.05, 0.02)]],
  ['narrow leader, wide challenger', [arm(0.4, 0.002, 0.05), arm(0.33, 0.3, 0.01)]],
  ['three arms, mixed spreads', [arm(0.5, 0.01, 0.1), arm(0.45, 0.08, 0.06), arm(0.3, 0.2, 0.0)]],
  ['one hopeless arm', [arm(0.9, 0.01, 0), arm(0.1, 0.01, 0)]],
  // Cold start: eleven arms, priors by price rank, spreads within 2× (the winner's grid alone).
  ['eleven arms at cold start', Array.from({ length: 11 }, (_, j) => arm(0.55 + 0.03 * j, 0.3 + 0.02 * j, 0.01 * j * j))],
  // One arm 3× narrower than the rest, one far below every other (left out of the product).
  ['four arms: a narrow one and one far below', [arm(0.5, 0.3, 0.05), arm(0.52, 0.1, 0.05), arm(0.45, 0.25, 0), arm(-2, 0.05, 0)]],
];

for (const [name, arms] of cases) {
  test(`Thompson pick probabilities match the draws' frequencies and sum to one: ${name}`, () => {
    const random = seeded(11);
    const counts = new Array<number>(arms.length).fill(0);
    const n = 40_000;
    for (let k = 0; k < n; k++) {
      const i = thompsonDraw(arms, 1, random);
      counts[i] = (counts[i] ?? 0) + 1;
    }
    const probabilities = arms.map((_, i) => thompsonProbability(arms, i, 1));
    assert.ok(Math.abs(probabilities.reduce((s, p) => s + p, 0) - 1) < 5e-3, JSON.stringify(probabilities));
    // 40,000 draws: a frequency's standard error is at most 0.0025.
    probabilities.forEach((p, i) => assert.ok(Math.abs(p - (counts[i] ?? 0) / n) < 0.01, `${i}: ${p} vs ${(counts[i] ?? 0) / n}`));
  });
}

test('a single plausible arm is picked with probability one', () => {
  assert.equal(thompsonProbability([arm(0.5, 0.1, 0)], 0, 1), 1);
});
