import type { Target } from '../spec/catalog.js';
import type { ChatRequest } from '../spec/chat.js';
import type { PlanInput, RequestContext } from '../spec/routing.js';
import { extractFeatures } from './extract-features.js';
import { fromArtifactFile, ARTIFACT_FORMAT, type RouterArtifact } from './router-artifact.js';
import { DENSE_OFFSET, TASKS } from './text-vector.js';

/**
 * Shared fixtures for policy tests and the conformance suite: three models at different prices
 * (one of them twice, with a tight maxTokens setting) and a small hand-made artefact for them,
 * so learned policies are testable without training anything.
 */
export const fixtureTarget = (model: string, price: number, params: Target['params'] = {}, label?: string): Target => ({
  id: label ? `${model}@${label}` : model,
  params,
  model: {
    id: model, provider: 'p', upstreamModel: model, contextWindow: 8192, maxOutputTokens: 4096,
    prices: { inputPerMtok: price, outputPerMtok: 3 * price, cachedInputPerMtok: price, cacheWritePerMtok: price, perRequest: 0 },
    capabilities: { tools: true, vision: true, jsonMode: true, streaming: true }, latency: { ttftMs: 100 + 20 * price, tokensPerSecond: 100 / (1 + price / 10) },
  },
});

export const fixtureTargets = (): Target[] => [
  fixtureTarget('small', 0.2), fixtureTarget('medium', 1), fixtureTarget('large', 10, { maxTokens: 64 }, 'short'), fixtureTarget('large', 10),
];

const BIAS = DENSE_OFFSET + TASKS.length + 5;
const task = (t: (typeof TASKS)[number]): number => DENSE_OFFSET + TASKS.indexOf(t);
const model = (bias: number, reasoning: number, rate: number, out: number) => ({
  quality: { size: BIAS + 1, weights: { [BIAS]: bias, [task('reasoning')]: reasoning, [task('math')]: reasoning } },
  costPerInputToken: rate, costPerInputTokenByTask: {}, trainQuality: 0.5,
  outputTokens: {
    mean: out, byTask: { code: 4 * out },
    quantiles: { '*': Array.from({ length: 11 }, (_, i) => (i * out) / 5), code: Array.from({ length: 11 }, (_, i) => (i * 4 * out) / 5) },
  },
});

/** Small is good on easy prompts and poor on reasoning; large is good on everything. */
export const fixtureArtifact = (): RouterArtifact => fromArtifactFile({
  format: ARTIFACT_FORMAT, kind: 'switchyard-router', version: 'fixture', createdAt: '2026-01-01T00:00:00.000Z',
  trainedOn: { data: 'fixture', prompts: 0 },
  models: { small: model(2, -4, 2e-7, 100), medium: model(2, -1, 1e-6, 150), large: model(3, 0, 1e-5, 200) },
  classifier: { small: 'small', large: 'large', model: { size: BIAS + 1, weights: { [BIAS]: 2, [task('reasoning')]: -4, [task('math')]: -4 } } },
});

export const FIXTURE_PROMPTS: readonly string[] = [
  'Translate into French: good morning',
  'Prove step by step that the square root of 2 is irrational',
  'Write a python function that reverses a linked list',
  'hi',
  'What is the capital of France?',
];

export const fixtureInput = (text: string, candidates: readonly Target[], ctx: Partial<RequestContext> = {}, request: Partial<ChatRequest> = {}): PlanInput => {
  const req: ChatRequest = { model: 'auto', stream: false, includeUsage: false, messages: [{ role: 'user', content: text }], ...request };
  return {
    request: req, features: extractFeatures(req), candidates, context: { tenant: 't', tier: 'standard', tags: {}, ...ctx },
    stats: { get: () => undefined }, random: () => 0.5, now: 1_700_000_000_000,
  };
};
