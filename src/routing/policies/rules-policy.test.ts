import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Target } from '../../spec/catalog.js';
import type { ChatRequest } from '../../spec/chat.js';
import type { PlanInput, RequestContext } from '../../spec/routing.js';
import { extractFeatures } from '../extract-features.js';
import { createPolicy, policyConfigSchema } from '../policy-config.js';

const target = (id: string): Target => ({
  id, params: {},
  model: {
    id, provider: 'p', upstreamModel: id, contextWindow: 8192, maxOutputTokens: 1024,
    prices: { inputPerMtok: 1, outputPerMtok: 1, cachedInputPerMtok: 1, cacheWritePerMtok: 1, perRequest: 0 },
    capabilities: { tools: true, vision: true, jsonMode: true, streaming: true }, latency: { ttftMs: 100, tokensPerSecond: 50 },
  },
});
const candidates = [target('small'), target('medium'), target('large')];

const input = (text: string, ctx: Partial<RequestContext> = {}): PlanInput => {
  const request: ChatRequest = { model: 'auto', stream: false, includeUsage: false, messages: [{ role: 'user', content: text }] };
  return {
    request, features: extractFeatures(request), candidates, context: { tenant: 't', tier: 'standard', tags: {}, ...ctx },
    stats: { get: () => undefined }, random: () => 0.5, now: 0,
  };
};

const rules = createPolicy(policyConfigSchema.parse({
  type: 'rules',
  rules: [
    { name: 'premium', when: { tier: ['premium'] }, targets: ['large'] },
    { name: 'hard', when: { reasoning: true }, targets: ['large', 'medium'] },
    { name: 'simple', when: { taskType: ['classification', 'extraction', 'translation'] }, targets: ['small'] },
    { name: 'search', when: { tags: { product: 'search' } }, targets: ['medium'] },
  ],
}));

test('the first matching rule orders the targets; the others stay as fallbacks', () => {
  const plan = rules.plan(input('Explain step by step why the sky is blue'));
  assert.deepEqual(plan.targets.map((t) => t.id), ['large', 'medium', 'small']);
  assert.equal(plan.decision.reason, 'rule:hard');
  assert.equal(plan.decision.propensity, 1);
});

test('tier, task type and tags rules', () => {
  assert.equal(rules.plan(input('hi', { tier: 'premium' })).targets[0]?.id, 'large');
  assert.equal(rules.plan(input('Translate into French: hello')).targets[0]?.id, 'small');
  assert.equal(rules.plan(input('hi', { tags: { product: 'search' } })).targets[0]?.id, 'medium');
  const none = rules.plan(input('hi'));
  assert.equal(none.decision.reason, 'default-order');
  assert.deepEqual(none.targets.map((t) => t.id), ['small', 'medium', 'large']);
});

test('a requested model is honoured, unless the route says not to', () => {
  assert.equal(rules.plan(input('hi', { requestedModel: 'medium' })).targets[0]?.id, 'medium');
  const strict = createPolicy(policyConfigSchema.parse({ type: 'rules', honourRequestedModel: false, rules: [] }));
  assert.equal(strict.plan(input('hi', { requestedModel: 'medium' })).targets[0]?.id, 'small');
});

test('policies return only the given candidates and never an empty plan', () => {
  for (const policy of [rules, createPolicy({ type: 'fixed' })]) {
    for (const cands of [candidates, [target('large')]]) {
      const plan = policy.plan({ ...input('Translate into French: hi'), candidates: cands });
      assert.ok(plan.targets.length > 0);
      assert.ok(plan.targets.every((t) => cands.includes(t)));
      assert.equal(new Set(plan.targets).size, plan.targets.length);
    }
  }
});

test('bad rules config is rejected with the field path', () => {
  const r = policyConfigSchema.safeParse({ type: 'rules', rules: [{ when: { taskType: ['poetry'] }, targets: [] }] });
  assert.equal(r.success, false);
  const paths = r.error?.issues.map((i) => i.path.join('.'));
  assert.ok(paths?.includes('rules.0.when.taskType.0'), String(paths));
  assert.ok(paths?.includes('rules.0.targets'), String(paths));
});
