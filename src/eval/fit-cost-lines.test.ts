import { test } from 'node:test';
import assert from 'node:assert/strict';
import { learnedCostUsd } from '../routing/predict-cost.js';
import { fitCostLine, fitCostLines } from './fit-cost-lines.js';

const near = (a: number, b: number): boolean => Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(b));

test('a cost line recovers the answer (intercept) and the input price (slope)', () => {
  const points = Array.from({ length: 40 }, (_, i) => ({ tokens: 100 + 10 * i, usd: 0.002 + 1e-6 * (100 + 10 * i) }));
  const line = fitCostLine(points);
  assert.ok(line && near(line.perPrompt, 0.002) && near(line.perInputToken, 1e-6), JSON.stringify(line));
});

test('noise never makes a line go negative, and a small group has none', () => {
  const falling = Array.from({ length: 40 }, (_, i) => ({ tokens: 100 + i, usd: 0.01 - 1e-5 * i }));
  const flat = fitCostLine(falling);
  assert.ok(flat && flat.perInputToken === 0 && near(flat.perPrompt, falling.reduce((a, p) => a + p.usd, 0) / 40));
  // Cost steeper than proportional: the intercept would be negative, so the plain per-token rate stands.
  const steep = Array.from({ length: 40 }, (_, i) => ({ tokens: 100 + i, usd: 1e-4 * (i + 1) }));
  const rate = fitCostLine(steep);
  assert.ok(rate && rate.perPrompt === 0 && rate.perInputToken > 0);
  assert.equal(fitCostLine(steep.slice(0, 5)), null);
  const lines = fitCostLines(3, steep.map((p, i) => ({ ...p, cluster: i % 2 })));
  assert.equal(lines.length, 3);
  assert.equal(lines[2], null, 'an empty cluster has no line');
});

test('the learned cost uses the cluster line, else the task rate, else the overall rate', () => {
  const m = { costPerInputToken: 1e-6, costPerInputTokenByTask: new Map([['code', 4e-6]]), costByCluster: [{ perPrompt: 0.01, perInputToken: 2e-6 }, null] };
  assert.ok(near(learnedCostUsd(m, 'code', 0, 1000), 0.012));
  assert.ok(near(learnedCostUsd(m, 'code', 1, 1000), 0.004));
  assert.ok(near(learnedCostUsd(m, 'qa', 1, 1000), 0.001));
  assert.ok(near(learnedCostUsd(m, 'qa', -1, 0), 1e-6), 'at least one token');
});
