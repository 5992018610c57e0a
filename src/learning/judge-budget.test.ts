import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStateStore } from '../state/memory-state-store.js';
import { createJudgeBudget } from './judge-budget.js';

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
