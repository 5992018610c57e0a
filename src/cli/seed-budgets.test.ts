import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SpendQuery, SpendRow } from '../spec/ledger.js';
import { buildConfig } from '../config/load-config.js';
import { createMemoryStateStore } from '../state/memory-state-store.js';
import { createJudgeBudget } from '../learning/judge-budget.js';
import { seedBudgetsFromLedger, seedJudgeBudget } from './seed-budgets.js';

const row = (group: Record<string, string>, costMicroUsd: number): SpendRow => ({ group, costMicroUsd, requests: 1, attempts: 1, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 });

test('budgets of every scope start from the spend the ledger holds for their current period', async () => {
  const config = buildConfig({
    providers: { sim: { kind: 'simulator' } },
    models: [{ id: 'm', provider: 'sim', prices: { input: 1, output: 1 } }],
    tenants: [{ id: 'acme', budget: { usd: 10, period: 'day' }, keys: [{ id: 'k1', key: 'sk-0123456789abcdef', budget: { usd: 1, period: 'month' } }] }],
    budgets: [{ tag: 'product=search', usd: 5 }],
  }, 'test', {});
  const now = Date.UTC(2026, 10, 23, 12);
  const queries: SpendQuery[] = [];
  const ledger = {
    spend: async (q: SpendQuery): Promise<SpendRow[]> => {
      queries.push(q);
      if (q.groupBy.includes('api_key')) return [row({ tenant: 'acme', api_key: 'k1' }, 300), row({ tenant: 'other', api_key: 'k1' }, 999)];
      if (q.groupBy[0] === 'tenant') return [row({ tenant: 'acme' }, 1_000), row({ tenant: 'globex' }, 5)];
      return [row({ 'tag:product': 'search' }, 70), row({ 'tag:product': 'ads' }, 1)];
    },
  };
  const state = createMemoryStateStore();
  assert.equal(await seedBudgetsFromLedger(state, config.limits, ledger, now), 1_370);
  assert.equal(state.budgetSpent('budget:tenant:acme:2026-11-23'), 1_000);
  assert.equal(state.budgetSpent('budget:key:acme/k1:2026-11'), 300);
  assert.equal(state.budgetSpent('budget:tag:product=search:2026-11'), 70);
  assert.deepEqual(queries.map((q) => q.from).sort(), [Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 23)]);
});

test('a restart on memory state seeds today\'s judge spend from the ledger\'s overhead rows', async () => {
  const state = createMemoryStateStore();
  const queries: SpendQuery[] = [];
  const rows = [row({ 'tag:overhead': 'judge' }, 700), row({ 'tag:overhead': '' }, 5_000)];
  const seeded = await seedJudgeBudget(state, { spend: async (q) => { queries.push(q); return rows; } }, Date.UTC(2026, 11, 3, 12));
  assert.equal(seeded, 700);
  assert.deepEqual(queries[0], { groupBy: ['tag:overhead'], from: Date.UTC(2026, 11, 3) });
  const budget = createJudgeBudget(state, 1_000);
  assert.equal(budget.reserve(301, Date.UTC(2026, 11, 3, 12)), false, '700 of 1,000 already spent today');
  assert.equal(budget.reserve(300, Date.UTC(2026, 11, 3, 12)), true);
});
