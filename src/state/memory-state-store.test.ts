import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStateStore } from './memory-state-store.js';
import { runStateStoreConformance } from './state-store-conformance.js';

runStateStoreConformance('memory', async () => {
  const store = createMemoryStateStore();
  return { a: store, b: store, syncStats: async () => undefined, close: () => store.close() };
});

test('memory: admission is synchronous (no promise on the request path)', () => {
  const store = createMemoryStateStore();
  const r = store.admit({ buckets: [{ key: 'k', capacity: 1, refillPerMs: 1, cost: 1 }], budgets: [], choices: [] }, 0);
  assert.equal(r instanceof Promise, false);
});

test('memory: expired budgets start again from zero', () => {
  const store = createMemoryStateStore();
  const budget = { key: 'b', limit: 10, amount: 10, ttlMs: 1_000 };
  assert.equal((store.admit({ buckets: [], budgets: [budget], choices: [] }, 0) as { allowed: boolean }).allowed, true);
  assert.equal((store.admit({ buckets: [], budgets: [budget], choices: [] }, 999) as { allowed: boolean }).allowed, false);
  assert.equal((store.admit({ buckets: [], budgets: [budget], choices: [] }, 1_000) as { allowed: boolean }).allowed, true);
});
