import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SpendQuery, SpendRow } from '../spec/ledger.js';
import type { BudgetRule } from '../spec/state.js';
import { createBudgetPacing, paceFactor, tenantLambda } from './budget-pacing.js';

const OPTIONS = { enabled: true, refreshMs: 60_000, minFactor: 0.25, maxFactor: 4, warmup: 0.05 };
const DAY = { label: '2026-11-23', startsAt: Date.UTC(2026, 10, 23), endsAt: Date.UTC(2026, 10, 24) };
const at = (share: number): number => DAY.startsAt + share * 86_400_000;
const rule = (limitMicroUsd: number, period: BudgetRule['period'] = 'day'): BudgetRule => ({ scope: 'tenant', id: 'acme', limitMicroUsd, period });

test('the pace factor is spent share over elapsed share, clamped', () => {
  assert.equal(paceFactor(500, rule(1_000), DAY, at(0.5), OPTIONS), 1, 'on pace: λ unchanged');
  assert.equal(paceFactor(500, rule(1_000), DAY, at(0.25), OPTIONS), 2, 'twice as fast: λ doubled');
  assert.equal(paceFactor(250, rule(1_000), DAY, at(0.5), OPTIONS), 0.5, 'half as fast: λ halved');
  assert.equal(paceFactor(990, rule(1_000), DAY, at(0.1), OPTIONS), 4, 'capped at maxFactor');
  assert.equal(paceFactor(0, rule(1_000), DAY, at(0.5), OPTIONS), 0.25, 'floored at minFactor');
  assert.equal(paceFactor(1, rule(0), DAY, at(0.5), OPTIONS), 4, 'a zero budget is as strict as it gets');
});

test('early in a period only overspending counts', () => {
  assert.equal(paceFactor(0, rule(1_000), DAY, at(0.01), OPTIONS), 1, 'nothing spent in the first minutes: λ unchanged, not floored');
  assert.equal(paceFactor(100, rule(1_000), DAY, at(0.01), OPTIONS), 2, '10% gone in the first 1%: measured against the 5% warm-up, doubled');
});

test('refresh reads the ledger once per period, keeps the strictest budget per tenant, and λ follows', async () => {
  const queries: SpendQuery[] = [];
  const row = (tenant: string, costMicroUsd: number): SpendRow => ({ group: { tenant }, costMicroUsd, requests: 1, attempts: 1, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 });
  const monthStart = Date.UTC(2026, 10, 1);
  const pacing = createBudgetPacing({
    budgets: new Map([
      ['acme', [rule(1_000, 'day'), rule(100_000, 'month')]],
      ['globex', [{ ...rule(1_000, 'month'), id: 'globex' }]],
      ['initech', [{ ...rule(1_000, 'day'), id: 'initech' }]],
    ]),
    spend: async (q) => {
      queries.push(q);
      // Today acme spent its whole day budget by noon; this month it is on pace (or below).
      return q.from === monthStart ? [row('acme', 80_000), row('globex', 10)] : [row('acme', 1_000)];
    },
    now: () => at(0.5),
    options: OPTIONS,
  });
  assert.equal(pacing.factor('acme'), 1, 'before the first refresh');
  await pacing.refresh();
  assert.deepEqual(queries.map((q) => q.from).sort(), [monthStart, DAY.startsAt], 'one query per period, not per rule');
  assert.equal(pacing.factor('acme'), 2, 'the day budget (2× pace) wins over the month');
  assert.equal(pacing.factor('globex'), 0.25, 'barely spent: λ at its floor, the budget buys quality');
  assert.equal(pacing.factor('initech'), 0.25, 'no ledger rows at all');
  assert.equal(pacing.factor('hooli'), 1, 'no budget: not paced');
  const lambdaFor = tenantLambda({ lambda: 100, lambdaByTenant: { globex: 1_000 } }, pacing.factor);
  assert.equal(lambdaFor('acme'), 200);
  assert.equal(lambdaFor('globex'), 250, "the tenant's own λ, paced");
  assert.equal(lambdaFor('hooli'), 100);
});
