import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SpendQuery, SpendRow } from '../spec/ledger.js';
import { createMemoryStateStore } from '../state/memory-state-store.js';
import { createJudgeBudget, seedJudgeBudget } from './judge-budget.js';

const NOON = Date.UTC(2026, 11, 3, 12);

test('the judge budget reserves within the day\'s limit, gives back what adjust returns, and starts over the next day', () => {
  const budget = createJudgeBudget(createMemoryStateStore(), 1_000);
  assert.equal(budget.reserve(600, NOON), true);
  assert.equal(budget.reserve(500, NOON), false, 'over the limit: refused, nothing reserved');
  assert.equal(budget.reserve(400, NOON), true);
  budget.adjust(-300, NOON); // the first call cost 300 less than reserved
  assert.equal(budget.reserve(300, NOON), true);
  assert.equal(budget.reserve(1, NOON), false);
  assert.equal(budget.reserve(1_000, NOON + 86_400_000), true, 'a new UTC day has its own budget');
});

test('one state store, two judges (as two replicas on one Redis): one budget between them', () => {
  const state = createMemoryStateStore();
  const [a, b] = [createJudgeBudget(state, 1_000), createJudgeBudget(state, 1_000)];
  const grants = Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).reserve(100, NOON));
  assert.equal(grants.filter(Boolean).length, 10);
});

test('a restart on memory state seeds today\'s judge spend from the ledger\'s overhead rows', async () => {
  const state = createMemoryStateStore();
  const queries: SpendQuery[] = [];
  const row = (group: Record<string, string>, costMicroUsd: number): SpendRow => ({
    group, requests: 1, attempts: 1, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0, costMicroUsd,
  });
  const rows = [row({ 'tag:overhead': 'judge' }, 700), row({ 'tag:overhead': '' }, 5_000)];
  const seeded = await seedJudgeBudget(state, { spend: async (q) => { queries.push(q); return rows; } }, NOON);
  assert.equal(seeded, 700);
  assert.deepEqual(queries[0], { groupBy: ['tag:overhead'], from: Date.UTC(2026, 11, 3) });
  const budget = createJudgeBudget(state, 1_000);
  assert.equal(budget.reserve(301, NOON), false, '700 of 1,000 already spent today');
  assert.equal(budget.reserve(300, NOON), true);
});
