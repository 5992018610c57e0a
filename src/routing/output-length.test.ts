import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedCappedLength, fitsProbability, quantiles11 } from './output-length.js';

const q = quantiles11(Array.from({ length: 101 }, (_, i) => 10 * i)); // 0, 100, …, 1000

test('quantiles of a uniform sample', () => {
  assert.deepEqual(q, [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
});

test('P(fits) is the interpolated CDF: 1 beyond the longest answer, 0 below the shortest', () => {
  assert.equal(fitsProbability(q, 2000), 1);
  assert.equal(fitsProbability(q, 500), 0.5);
  assert.ok(Math.abs(fitsProbability(q, 250) - 0.25) < 1e-9);
  assert.equal(fitsProbability([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5], 4), 0);
});

test('a cap bills fewer expected tokens, never more than the cap', () => {
  assert.equal(expectedCappedLength(q, 5000), 500);
  const capped = expectedCappedLength(q, 300);
  assert.ok(capped < 300 && capped > 200, String(capped));
});
