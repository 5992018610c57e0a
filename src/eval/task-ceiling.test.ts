import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PreparedRecord } from './prepare-records.js';
import { taskCeiling } from './task-ceiling.js';

const COST: Record<string, number> = { cheap: 1, mid: 1, strong: 10 };
const record = (id: string, task: string, q: Record<string, number>): PreparedRecord => ({
  id, task, taskType: 'qa', inputTokens: 10, vector: { indices: new Uint32Array(0), values: new Float32Array(0) },
  quality: new Map(Object.entries(q)), costUsd: new Map(Object.keys(q).map((m) => [m, COST[m] ?? 0])), outputTokens: new Map(),
});

const close = (a: number | null, b: number): void => assert.ok(a !== null && Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);

test('the ceiling spends the budget on the task where quality is cheapest to buy, mixing within a task', () => {
  const records = [
    record('a1', 'A', { cheap: 1, strong: 1 }), record('a2', 'A', { cheap: 0, strong: 1 }),
    record('b1', 'B', { cheap: 0, strong: 1 }), record('b2', 'B', { cheap: 0, strong: 1 }),
  ];
  const c = taskCeiling(records, ['cheap', 'strong'], 'strong', 0.3);
  assert.equal(c.panels, false);
  assert.deepEqual(c.tasks.map((t) => [t.task, t.n, t.hull.map((o) => o.name)]), [['A', 2, ['cheap', 'strong']], ['B', 2, ['cheap', 'strong']]]);
  assert.deepEqual(c.tasks.map((t) => [t.reference.quality, t.reference.cost_usd]), [[1, 20], [1, 20]]);
  // All cheap: 0.25 for $4. Upgrading B buys 0.5 for $18, A 0.25 for $18: B first. $12 (30% of $40) buys 8/18 of B's step.
  close(c.qualityAtShare, 0.25 + (0.5 * 8) / 18);
  // The strong model's quality (1) only when both tasks are upgraded: its whole cost.
  close(c.costShareAtReferenceQuality, 1);
});

test('with answer texts, a panel that escalates on disagreement is an option of its task', () => {
  const records = [record('a1', 'A', { cheap: 1, mid: 1, strong: 1 }), record('a2', 'A', { cheap: 0, mid: 0, strong: 1 })];
  const texts: Record<string, string> = { 'a1|cheap': 'B', 'a1|mid': '(b)', 'a2|cheap': 'A', 'a2|mid': 'C' };
  const c = taskCeiling(records, ['cheap', 'mid', 'strong'], 'strong', 0.3, (id, m) => texts[`${id}|${m}`]);
  assert.equal(c.panels, true);
  const panel = c.tasks[0]?.hull.find((o) => o.name.endsWith('>strong (free text: escalate)'));
  // a1: both answer B, the first answer stands ($2); a2: they disagree, strong answers ($2 + $10).
  assert.deepEqual(panel && { quality: panel.quality, cost: panel.cost_usd }, { quality: 1, cost: 14 });
  // The strong model's quality for $14 of its $20.
  close(c.costShareAtReferenceQuality, 14 / 20);
});
