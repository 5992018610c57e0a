import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelPrices } from '../spec/catalog.js';
import type { Usage } from '../spec/chat.js';
import { computeCostMicroUsd, microUsdToUsdString } from './compute-cost.js';

const usage = (u: Partial<Usage>): Usage => ({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, ...u });
const prices = (p: Partial<ModelPrices> & Pick<ModelPrices, 'inputPerMtok' | 'outputPerMtok'>): ModelPrices => ({
  cachedInputPerMtok: p.inputPerMtok, cacheWritePerMtok: p.inputPerMtok, perRequest: 0, ...p,
});

const gpt4o = prices({ inputPerMtok: 2.5, outputPerMtok: 10, cachedInputPerMtok: 1.25 });
// Claude Sonnet: cache writes at 1.25× input, cache reads at 0.1× input.
const sonnet = prices({ inputPerMtok: 3, outputPerMtok: 15, cachedInputPerMtok: 0.3, cacheWritePerMtok: 3.75 });

test('gpt-4o: 1M input + 1M output tokens cost exactly $12.50', () => {
  assert.equal(computeCostMicroUsd(usage({ inputTokens: 1_000_000, outputTokens: 1_000_000 }), gpt4o), 12_500_000);
});

test('gpt-4o: cached input is billed at the cached rate, not twice', () => {
  // 1000 prompt tokens of which 800 cached: 200 × 2.5 + 800 × 1.25 + 100 × 10 = 500 + 1000 + 1000 micro-USD.
  assert.equal(computeCostMicroUsd(usage({ inputTokens: 1000, cachedInputTokens: 800, outputTokens: 100 }), gpt4o), 2500);
});

test('reasoning tokens are part of output and not billed a second time', () => {
  const withReasoning = usage({ inputTokens: 100, outputTokens: 1000, reasoningTokens: 900 });
  const without = usage({ inputTokens: 100, outputTokens: 1000 });
  assert.equal(computeCostMicroUsd(withReasoning, gpt4o), computeCostMicroUsd(without, gpt4o));
  assert.equal(computeCostMicroUsd(withReasoning, gpt4o), 250 + 10_000);
});

test('anthropic: cache writes at 1.25× input and cache reads at 0.1×', () => {
  // 10,000 prompt tokens: 6,000 written to cache, 3,000 read from it, 1,000 plain; 500 output.
  const u = usage({ inputTokens: 10_000, cacheWriteTokens: 6_000, cachedInputTokens: 3_000, outputTokens: 500 });
  assert.equal(computeCostMicroUsd(u, sonnet), 1_000 * 3 + 6_000 * 3.75 + 3_000 * 0.3 + 500 * 15);
  assert.equal(computeCostMicroUsd(u, sonnet), 33_900);
});

test('uncached input is clamped at zero when an upstream reports more cached than total', () => {
  const u = usage({ inputTokens: 100, cachedInputTokens: 150, outputTokens: 0 });
  assert.equal(computeCostMicroUsd(u, gpt4o), Math.round(150 * 1.25));
});

test('fractional prices are exact: no float drift over many components', () => {
  // 0.1 and 0.2 are not representable in binary; 3 × 0.1 + 0.2 would drift as floats.
  const p = prices({ inputPerMtok: 0.1, outputPerMtok: 0.2, cachedInputPerMtok: 0.075 });
  const u = usage({ inputTokens: 30_000_000, cachedInputTokens: 10_000_000, outputTokens: 10_000_000 });
  // 20M × 0.1 + 10M × 0.075 + 10M × 0.2 = 2,000,000 + 750,000 + 2,000,000 micro-USD.
  assert.equal(computeCostMicroUsd(u, p), 4_750_000);
  assert.ok(Number.isInteger(computeCostMicroUsd(usage({ inputTokens: 7, outputTokens: 3 }), p)));
});

test('rounding happens once, on the sum: 3 calls of 0.4 micro each are not 3 × round(0.4)', () => {
  const p = prices({ inputPerMtok: 0.15, outputPerMtok: 0.6 });
  // 1 input token (0.15) + 1 output token (0.6) = 0.75 micro → 1.
  assert.equal(computeCostMicroUsd(usage({ inputTokens: 1, outputTokens: 1 }), p), 1);
  // 9 input (1.35) + 9 output (5.4) = 6.75 → 7 (rounding each part would give 1 + 5 = 6).
  assert.equal(computeCostMicroUsd(usage({ inputTokens: 9, outputTokens: 9 }), p), 7);
});

test('a custom (tiny) price is never logged as 0', () => {
  const local = prices({ inputPerMtok: 0.01, outputPerMtok: 0.02 });
  const cost = computeCostMicroUsd(usage({ inputTokens: 10, outputTokens: 5 }), local);
  assert.ok(cost > 0, `custom price must be charged, got ${cost}`);
  assert.equal(cost, 1);
  // …and a custom price on a self-hosted model is used as given.
  const custom = prices({ inputPerMtok: 0.9, outputPerMtok: 0.9 });
  assert.equal(computeCostMicroUsd(usage({ inputTokens: 1000, outputTokens: 1000 }), custom), 1800);
});

test('free models and empty usage cost exactly 0', () => {
  assert.equal(computeCostMicroUsd(usage({ inputTokens: 1000, outputTokens: 1000 }), prices({ inputPerMtok: 0, outputPerMtok: 0 })), 0);
  assert.equal(computeCostMicroUsd(usage({}), gpt4o), 0);
});

test('the per-request fee is added once', () => {
  const p = prices({ inputPerMtok: 1, outputPerMtok: 1, perRequest: 0.005 });
  assert.equal(computeCostMicroUsd(usage({}), p), 5000);
  assert.equal(computeCostMicroUsd(usage({ inputTokens: 10, outputTokens: 10 }), p), 5020);
});

test('garbage token counts and prices never produce NaN', () => {
  const u = usage({ inputTokens: Number.NaN, outputTokens: -5, cachedInputTokens: Infinity });
  assert.equal(computeCostMicroUsd(u, gpt4o), 0);
  assert.equal(computeCostMicroUsd(usage({ inputTokens: 10 }), prices({ inputPerMtok: Number.NaN, outputPerMtok: 1 })), 0);
});

test('huge calls stay exact past 2^53 pico-USD', () => {
  const p = prices({ inputPerMtok: 75, outputPerMtok: 150 });
  const u = usage({ inputTokens: 200_000_000, outputTokens: 100_000_000 });
  assert.equal(computeCostMicroUsd(u, p), 200_000_000 * 75 + 100_000_000 * 150);
});

test('microUsdToUsdString formats exactly with 6 decimals', () => {
  assert.equal(microUsdToUsdString(123), '0.000123');
  assert.equal(microUsdToUsdString(0), '0.000000');
  assert.equal(microUsdToUsdString(12_500_000), '12.500000');
  assert.equal(microUsdToUsdString(1_000_000_000_001), '1000000.000001');
  assert.equal(microUsdToUsdString(-5), '-0.000005');
});
