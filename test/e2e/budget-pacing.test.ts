import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteLedgerStore } from '../../src/ledger/sqlite-ledger-store.js';
import { makeLedgerRow } from '../../src/ledger/ledger-store-conformance.js';
import { startTestGateway } from '../helpers/start-test-gateway.js';

const lambdaOf = (metrics: string, tenant: string): number => {
  const m = new RegExp(`^switchyard_learning_lambda\\{tenant="${tenant}"\\} (\\S+)$`, 'm').exec(metrics);
  if (!m) throw new Error(`no λ gauge for ${tenant} in /metrics`);
  return Number(m[1]);
};

test("λ follows the tenant's budget: a tenant already 4× over its day budget gets λ × 4, one without a budget keeps its own", async () => {
  const ledgerPath = join(mkdtempSync(join(tmpdir(), 'sy-pacing-')), 'ledger.db');
  const seed = createSqliteLedgerStore(ledgerPath);
  // $0.02 spent today against a $0.005 day budget: whatever the time of day, the pace is ≥ 4.
  await seed.insert([makeLedgerRow({ requestId: 'r1', tenant: 'acme', ts: Date.now() - 1_000, costMicroUsd: 20_000 })]);
  await seed.close();
  const gw = await startTestGateway({
    ledger: { driver: 'sqlite', path: ledgerPath, flushIntervalMs: 20 },
    tenants: [
      { id: 'acme', keys: [{ id: 'a', key: 'sk-acme-0123456789abcdef' }], budget: { usd: 0.005, period: 'day' } },
      { id: 'globex', keys: [{ id: 'g', key: 'sk-globex-0123456789abcdef' }], budget: { usd: 1_000, period: 'month' } },
      { id: 'initech', keys: [{ id: 'i', key: 'sk-initech-0123456789abcdef' }] },
    ],
    auth: { adminKeys: [{ id: 'ops', key: 'sk-admin-0123456789abcdef' }] },
    learning: { lambda: 100, lambdaByTenant: { globex: 40 } },
  });
  try {
    const res = await fetch(`${gw.url}/metrics`, { headers: { authorization: 'Bearer sk-admin-0123456789abcdef' } });
    const metrics = await res.text();
    assert.equal(lambdaOf(metrics, 'acme'), 400, 'capped at maxFactor 4');
    const globex = lambdaOf(metrics, 'globex');
    assert.ok(globex === 10 || globex === 40, `nothing spent: its own λ (40), floored at ×0.25 once the month's warm-up is over — got ${globex}`);
    assert.throws(() => lambdaOf(metrics, 'initech'), /no λ gauge/, 'no budget: not paced');
  } finally {
    await gw.close();
  }
});
