import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway } from '../helpers/start-test-gateway.js';
import type { ConfigInput } from '../../src/config/config-schema.js';

const KEY = 'sk-budget-0123456789abcdef';
const budgeted: Partial<ConfigInput> = {
  tenants: [{ id: 'acme', keys: [{ id: 'acme-1', key: KEY }], budget: { usd: 0.005, period: 'day' }, tags: { product: 'search' } }],
  budgets: [{ tag: 'product=search', usd: 1, period: 'month' }],
};

const spendUntilRefused = async (url: string): Promise<number[]> => {
  const statuses: number[] = [];
  for (let i = 0; i < 40 && !statuses.includes(402); i++) {
    const r = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ model: 'big-first', max_tokens: 40, messages: [{ role: 'user', content: 'hello' }] }),
    });
    await r.text();
    statuses.push(r.status);
  }
  return statuses;
};

test('memory state: a restart does not hand a spent budget back (budgets start from the ledger)', async () => {
  const first = await startTestGateway(budgeted);
  const before = await spendUntilRefused(first.url);
  await first.close();
  assert.ok(before.filter((s) => s === 200).length >= 2, `the budget allowed a few requests: ${before.join(',')}`);
  assert.equal(before.at(-1), 402);
  const second = await startTestGateway({ ...budgeted, ledger: { driver: 'sqlite', path: first.ledgerPath, flushIntervalMs: 20 } });
  try {
    const after = await spendUntilRefused(second.url);
    assert.ok(after.filter((s) => s === 200).length <= 1, `at most what the last reservation left: ${after.join(',')}`);
  } finally {
    await second.close();
  }
});
