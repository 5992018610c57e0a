import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatRequest, ChatResponse, FinishReason } from '../../spec/chat.js';
import { extractFeatures } from '../extract-features.js';
import { createRulesScorer } from './rules-scorer.js';

const request = (json = false): ChatRequest => ({
  model: 'auto', stream: false, includeUsage: false, messages: [{ role: 'user', content: 'Give me a list' }],
  ...(json ? { responseFormat: { type: 'json_object' as const } } : {}),
});
const response = (content: string, finishReason: FinishReason = 'stop'): ChatResponse => ({
  id: 'r', created: 0, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finishReason }],
});
const score = (content: string, opts: { json?: boolean; finish?: FinishReason; checks?: Parameters<typeof createRulesScorer>[0] } = {}) => {
  const req = request(opts.json);
  return createRulesScorer(opts.checks).score({ request: req, features: extractFeatures(req), response: response(content, opts.finish) });
};

test('a plain answer passes', () => {
  assert.deepEqual(score('Paris is the capital of France.'), { quality: 1, reason: 'ok' });
});

test('empty, refusal, truncated and invalid JSON fail with their reason', () => {
  assert.equal(score('   ').reason, 'empty');
  assert.equal(score("I'm sorry, but I can't help with that.").reason, 'refusal');
  assert.equal(score('As an AI language model, I cannot').reason, 'refusal');
  assert.equal(score('The answer is long and', { finish: 'length' }).reason, 'truncated');
  assert.equal(score('not json', { json: true }).reason, 'invalid-json');
  assert.equal(score('{"items": [1, 2]}', { json: true }).quality, 1);
});

test('a refusal later in the answer is content, and disabled checks are skipped', () => {
  assert.equal(score('The villain said: I cannot let you go.').quality, 1);
  assert.equal(score('not json', { json: true, checks: ['empty', 'truncated'] }).quality, 1);
});
