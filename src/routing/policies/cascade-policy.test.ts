import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatResponse } from '../../spec/chat.js';
import { createPolicy, policyConfigSchema } from '../policy-config.js';
import { fixtureInput, fixtureTargets } from '../policy-fixtures.js';
import type { AnswerScorer } from '../scorers/answer-scorer.js';

const answer = (content: string, finishReason: 'stop' | 'length' = 'stop'): ChatResponse => ({
  id: 'r', created: 0, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finishReason }],
});
const targets = fixtureTargets();

test('cheapest first by expected cost; the route order when configured', () => {
  const cheap = createPolicy(policyConfigSchema.parse({ type: 'cascade' }));
  const reversed = [...targets].reverse();
  assert.deepEqual(cheap.plan(fixtureInput('hi', reversed)).targets.map((t) => t.id), ['small', 'medium', 'large@short', 'large']);
  const configured = createPolicy(policyConfigSchema.parse({ type: 'cascade', order: 'configured' }));
  assert.deepEqual(configured.plan(fixtureInput('hi', reversed)).targets.map((t) => t.id), reversed.map((t) => t.id));
});

test('the hook escalates on a failed rules check only', () => {
  const plan = createPolicy(policyConfigSchema.parse({ type: 'cascade' })).plan(fixtureInput('hi', targets, {}, { responseFormat: { type: 'json_object' } }));
  const features = fixtureInput('hi', targets, {}, { responseFormat: { type: 'json_object' } }).features;
  assert.equal(plan.cascade?.shouldEscalate(answer('{"ok": true}'), features), false);
  assert.equal(plan.cascade?.shouldEscalate(answer('{"ok": tr', 'length'), features), true);
  assert.equal(plan.cascade?.shouldEscalate(answer('sure, here it is'), features), true);
});

test('a registered scorer plugs in by name; an unknown one is a config error', () => {
  const seen: string[] = [];
  const learned: AnswerScorer = { name: 'estimator', score: ({ response }) => {
    seen.push(String(response.choices[0]?.message.content));
    return { quality: 0.3, reason: 'estimated' };
  } };
  const scorers = new Map([['estimator', learned]]);
  const strict = createPolicy(policyConfigSchema.parse({ type: 'cascade', scorer: 'estimator', acceptAt: 0.5 }), { scorers });
  const lenient = createPolicy(policyConfigSchema.parse({ type: 'cascade', scorer: 'estimator', acceptAt: 0.2 }), { scorers });
  const input = fixtureInput('hi', targets);
  assert.equal(strict.plan(input).cascade?.shouldEscalate(answer('x'), input.features), true);
  assert.equal(lenient.plan(input).cascade?.shouldEscalate(answer('y'), input.features), false);
  assert.deepEqual(seen, ['x', 'y']);
  assert.throws(() => createPolicy(policyConfigSchema.parse({ type: 'cascade', scorer: 'nope' })), /unknown cascade scorer 'nope'/);
});

test('a panel accepts agreeing answers, escalates on disagreement, and follows `incomparable` otherwise', () => {
  const input = fixtureInput('hi', targets);
  const strict = createPolicy(policyConfigSchema.parse({ type: 'cascade', panel: {} })).plan(input);
  const lenient = createPolicy(policyConfigSchema.parse({ type: 'cascade', panel: { size: 3, incomparable: 'accept', maxAnswerChars: 20 } })).plan(input);
  assert.equal(strict.cascade?.panel?.size, 2);
  assert.match(strict.decision.reason ?? '', /panel2\+rules/);
  const accept = (plan: typeof strict, ...texts: string[]) => plan.cascade?.panel?.judge(texts.map((t) => answer(t))).accept;
  assert.equal(accept(strict, 'B', '(b)'), true);
  assert.equal(accept(strict, 'B', 'A'), false);
  assert.equal(accept(strict, 'B'), false, 'a member that failed: escalate');
  assert.equal(accept(strict, 'x'.repeat(300), 'x'.repeat(300)), false, 'free text: escalate');
  assert.equal(accept(lenient, 'B', 'b', 'A'), false, 'disagreement escalates even when incomparable is accept');
  assert.equal(accept(lenient, 'B', 'b'), true, 'a member that failed: accept');
  assert.equal(accept(lenient, 'a long free-text answer here', 'another one'), true);
  assert.throws(() => policyConfigSchema.parse({ type: 'cascade', panel: { size: 1 } }), /size/);
});
