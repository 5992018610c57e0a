import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RUBRIC, parseJudgeScore, renderRubric } from './judge-rubric.js';
import { createJudgeSampler } from './judge-sampler.js';

const TEN = { min: 1, max: 10 };

test('judge scores are parsed from the formats judges actually reply in', () => {
  assert.equal(parseJudgeScore('Score: 10', TEN), 1);
  assert.equal(parseJudgeScore('The answer is mostly right.\nScore: **7**', TEN), 6 / 9);
  assert.equal(parseJudgeScore('{"score": 1, "reason": "wrong"}', TEN), 0);
  assert.equal(parseJudgeScore('I would rate it 8/10.', TEN), 7 / 9);
  assert.equal(parseJudgeScore('Verdict: [[4]]', TEN), 3 / 9);
  assert.equal(parseJudgeScore('5', TEN), 4 / 9);
  assert.equal(parseJudgeScore('Score: 0.8', { min: 0, max: 1 }), 0.8);
});

test('no grade, or one outside the scale, is null (ignored, never guessed)', () => {
  assert.equal(parseJudgeScore('I cannot grade this.', TEN), null);
  assert.equal(parseJudgeScore('Score: 42', TEN), null);
  assert.equal(parseJudgeScore('', TEN), null);
});

test('the rubric is filled and long texts are cut', () => {
  const p = renderRubric(DEFAULT_RUBRIC, 'What is 2+2?', 'x'.repeat(20_000), 100);
  assert.ok(p.includes('What is 2+2?'));
  assert.ok(!p.includes('{answer}'));
  assert.ok(p.length < 1_000);
});

test('sampling follows traffic: every answer at low volume, a small share at high volume', () => {
  const sampler = createJudgeSampler([{ upToPerMinute: 10, rate: 1 }, { upToPerMinute: 100, rate: 0.2 }, { rate: 0.01 }]);
  let t = 0;
  const always = () => 0;
  // 5 requests in the first minute: all sampled.
  for (let i = 0; i < 5; i++) assert.equal(sampler.sample((t += 1_000), always), true);
  assert.equal(sampler.probability(t), 1);
  // 50 more in the same minute: the rate passes 10/min and the probability drops to 0.2.
  for (let i = 0; i < 50; i++) sampler.sample((t += 100), always);
  assert.equal(sampler.probability(t), 0.2);
  for (let i = 0; i < 200; i++) sampler.sample((t += 100), always);
  assert.equal(sampler.probability(t), 0.01);
  assert.equal(sampler.sample(t, () => 0.5), false);
  // Two quiet minutes later the estimate has decayed back to low volume.
  assert.equal(sampler.probability(t + 2 * 60_000), 1);
});
