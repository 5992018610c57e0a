import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Prediction } from '../routing/choose-target.js';
import { guardedUtilitySweep } from './guarded-utility.js';
import type { PanelConfig } from './panel-curve.js';
import type { PreparedRecord } from './prepare-records.js';

const COST: Record<string, number> = { a: 0.01, b: 0.02, code: 0.05, strong: 1 };
const record = (id: string, q: Record<string, number>): PreparedRecord => ({
  id, task: 't', taskType: 'qa', inputTokens: 10, vector: { indices: new Uint32Array(0), values: new Float32Array(0) },
  quality: new Map(Object.entries(q)), costUsd: new Map(Object.keys(q).map((m) => [m, COST[m] ?? 0])), outputTokens: new Map(),
});
const pred = (model: string, pQuality: number): Prediction => ({ model, pQuality, costUsd: COST[model] ?? 0 });

// At λ 0.1, x and y choose strong (0.9 − 0.1 against a's 0.5 − 0.001); z chooses `code`, which still
// costs more than a and b together (0.05 > 0.03), so every prompt is paneled. x: a and b agree (right);
// y: they split; z: their answers are long code, free text (no key).
const records = [
  record('x', { a: 1, b: 1, code: 0, strong: 1 }),
  record('y', { a: 0, b: 0, code: 0, strong: 1 }),
  record('z', { a: 0, b: 0, code: 1, strong: 1 }),
];
const preds = new Map<string, Prediction[]>([
  ['x', [pred('a', 0.5), pred('b', 0.5), pred('code', 0.1), pred('strong', 0.9)]],
  ['y', [pred('a', 0.5), pred('b', 0.5), pred('code', 0.1), pred('strong', 0.9)]],
  ['z', [pred('a', 0.1), pred('b', 0.1), pred('code', 0.9), pred('strong', 0.9)]],
]);
const texts: Record<string, string> = { 'x|a': 'B', 'x|b': 'b', 'y|a': 'A', 'y|b': 'C', 'z|a': 'def f():'.repeat(40), 'z|b': 'def g():'.repeat(40) };
const answer = (id: string, m: string) => texts[`${id}|${m}`];
const config = (incomparable: PanelConfig['incomparable']): PanelConfig => ({ members: ['a', 'b'], strong: 'strong', incomparable });

test('the panel runs only in front of choices that cost more than its members; agreement keeps the cheap answer', () => {
  const [p] = guardedUtilitySweep(records, preds, [0.1], [config('escalate')], answer);
  // x: a's answer (billed a+b); y: strong (a+b+strong); z: free text escalates to `code` (a+b+code).
  assert.equal(p?.chain, 'a+b');
  assert.equal(p?.param, 0.1);
  assert.equal(p?.quality, (1 + 1 + 1) / 3);
  assert.ok(Math.abs((p?.cost_usd ?? 0) - (3 * 0.03 + 1 + 0.05)) < 1e-9);
  assert.ok(Math.abs((p?.escalated ?? 0) - 2 / 3) < 1e-9);
  const [accepting] = guardedUtilitySweep(records, preds, [0.1], [config('accept')], answer);
  // z: free text accepted → a's answer (wrong), no `code` call.
  assert.equal(accepting?.quality, 2 / 3);
  assert.ok(Math.abs((accepting?.cost_usd ?? 0) - (3 * 0.03 + 1)) < 1e-9);
});

test('a choice that is a member, or costs less than the members, is not paneled', () => {
  const cheap = new Map<string, Prediction[]>([['x', [pred('a', 0.9), pred('b', 0.5), pred('strong', 0.9)]]]);
  const [p] = guardedUtilitySweep([records[0] as PreparedRecord], cheap, [10], [config('escalate')], answer);
  assert.equal(p?.quality, 1);
  assert.ok(Math.abs((p?.cost_usd ?? 0) - 0.01) < 1e-9, 'a alone, no panel');
});
