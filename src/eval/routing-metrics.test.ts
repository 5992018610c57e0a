import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aiq, costRatioAtQuality, mixedCostRatioAtQuality, mixedQualityAtCost, modelsAboveCurve, qualityAtCost, upperHull } from './routing-metrics.js';

test('the hull drops dominated points and concave dents', () => {
  const hull = upperHull([
    { cost_usd: 1, quality: 0.5 }, { cost_usd: 2, quality: 0.4 }, { cost_usd: 3, quality: 0.6 }, { cost_usd: 4, quality: 0.9 }, { cost_usd: 5, quality: 0.9 },
  ]);
  assert.deepEqual(hull.map((p) => p.cost_usd), [1, 4]);
});

test('AIQ of a flat curve is its quality; a better curve has a higher AIQ', () => {
  const flat = [{ cost_usd: 1, quality: 0.7, param: 0 }];
  assert.ok(Math.abs(aiq(flat, 1, 3) - 0.7) < 1e-3);
  const better = [{ cost_usd: 1, quality: 0.7, param: 0 }, { cost_usd: 2, quality: 0.9, param: 1 }];
  assert.ok(aiq(better, 1, 3) > aiq(flat, 1, 3));
});

test('cost ratio at a quality and quality at a cost', () => {
  const curve = [{ cost_usd: 1, quality: 0.6, param: 0 }, { cost_usd: 2, quality: 0.8, param: 1 }, { cost_usd: 4, quality: 0.9, param: 2 }];
  assert.equal(costRatioAtQuality(curve, 0.8, 10), 0.2);
  assert.equal(costRatioAtQuality(curve, 0.95, 10), null);
  assert.equal(qualityAtCost(curve, 3), 0.8);
  assert.equal(qualityAtCost(curve, 0.5), null);
});

test('single models above the hull are named; mixing makes points between curve points reachable', () => {
  const curve = [{ cost_usd: 1, quality: 0.6, param: 0 }, { cost_usd: 3, quality: 0.8, param: 1 }];
  assert.deepEqual(modelsAboveCurve(curve, { a: { cost_usd: 2, quality: 0.69 }, b: { cost_usd: 2, quality: 0.71 }, c: { cost_usd: 0.5, quality: 0.1 } }), ['b', 'c']);
});

test('with mixing, a quality between two operating points costs the interpolated amount', () => {
  const curve = [{ cost_usd: 1, quality: 0.6, param: 0 }, { cost_usd: 3, quality: 0.8, param: 1 }, { cost_usd: 2.5, quality: 0.5, param: 2 }];
  assert.ok(Math.abs((mixedCostRatioAtQuality(curve, 0.7, 10) ?? 0) - 0.2) < 1e-12, 'half way: (1 + 3) / 2 of 10');
  assert.equal(mixedCostRatioAtQuality(curve, 0.6, 10), 0.1);
  assert.equal(mixedCostRatioAtQuality(curve, 0.81, 10), null);
  assert.ok(Math.abs((mixedQualityAtCost(curve, 2) ?? 0) - 0.7) < 1e-12);
  assert.equal(mixedQualityAtCost(curve, 0.5), null);
  assert.equal(qualityAtCost(curve, 2), 0.6, 'without mixing only the cheaper point is affordable');
});
