import { test } from 'node:test';
import assert from 'node:assert/strict';
import { panelConfigs, panelCurve, panelName, type PanelInputs } from './panel-curve.js';
import type { PreparedRecord } from './prepare-records.js';

const record = (id: string, q: Record<string, number>): PreparedRecord => ({
  id, task: 't', taskType: 'qa', inputTokens: 10, vector: { indices: new Uint32Array(0), values: new Float32Array(0) },
  quality: new Map(Object.entries(q)), costUsd: new Map(Object.keys(q).map((m) => [m, m === 'strong' ? 1 : m === 'mid' ? 0.1 : 0.01])), outputTokens: new Map(),
});

// a: both cheap models answer B (right); b: they disagree; c: free text from both; d: `mid` has no outcome.
const records = [
  record('a', { cheap: 1, mid: 1, strong: 1 }),
  record('b', { cheap: 0, mid: 1, strong: 1 }),
  record('c', { cheap: 0, mid: 0, strong: 1 }),
  record('d', { cheap: 1, strong: 0 }),
];
const texts: Record<string, string> = {
  'a|cheap': 'B', 'a|mid': '(b)', 'b|cheap': 'A', 'b|mid': 'C', 'c|cheap': 'x'.repeat(300), 'c|mid': 'y'.repeat(300), 'd|cheap': 'B',
};
const inputs: PanelInputs = {
  answer: (id, model) => texts[`${id}|${model}`],
  trainQuality: new Map([['cheap', 0.5], ['mid', 0.6], ['strong', 0.9]]),
  trainCost: new Map([['cheap', 0.01], ['mid', 0.1], ['strong', 1]]),
};

test('panels: every pair (and triple) of models cheaper than the strong one, cheapest first, with both free-text settings', () => {
  const configs = panelConfigs(inputs);
  assert.deepEqual(configs.map(panelName), ['cheap+mid>strong', 'cheap+mid>strong (free text: accept)']);
  const four = panelConfigs({ ...inputs, trainQuality: new Map([...inputs.trainQuality, ['x', 0.1]]), trainCost: new Map([...inputs.trainCost, ['x', 0.05]]) });
  assert.deepEqual([...new Set(four.map((c) => c.members.join('+')))], ['cheap+x', 'cheap+x+mid', 'cheap+mid', 'x+mid']);
});

test('the replay bills every member, keeps the first answer when they agree, and pays the strong model otherwise', () => {
  const [escalate, accept] = panelCurve(records, inputs);
  // escalate: a agrees (cheap, right); b, c and d (a member without an outcome) go to strong.
  assert.equal(escalate?.quality, (1 + 1 + 1 + 0) / 4);
  assert.ok(Math.abs((escalate?.cost_usd ?? 0) - (4 * 0.01 + 3 * 0.1 + 3 * 1)) < 1e-9);
  assert.equal(escalate?.escalated, 0.75);
  // accept: free text (c) and a lone answer (d) keep the first answer; disagreement (b) still escalates.
  assert.equal(accept?.quality, (1 + 1 + 0 + 1) / 4);
  assert.ok(Math.abs((accept?.cost_usd ?? 0) - (4 * 0.01 + 3 * 0.1 + 1)) < 1e-9);
  assert.equal(accept?.escalated, 0.25);
});
