import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.js';
import type { ConfigInput } from '../../src/config/config-schema.js';
import { redisService, redisUrl, testKeyPrefix, deleteKeys } from '../helpers/redis-service.js';
import { probeService, servicesRequired } from '../helpers/require-service.js';

const ACME = 'sk-acme-0123456789abcdef';
const GLOBEX = 'sk-globex-0123456789abcdef';
const INITECH = 'sk-initech-0123456789abcdef';
const HOOLI = 'sk-hooli-0123456789abcdef';

const limitsConfig = (state: ConfigInput['state']): Partial<ConfigInput> => ({
  state,
  tenants: [
    { id: 'acme', keys: [{ id: 'acme-1', key: ACME, limits: { rpm: 3 } }] },
    // 1 cent a day on a model at $10/$30 per 1M tokens: a few requests of 60 output tokens.
    { id: 'globex', keys: [{ id: 'globex-1', key: GLOBEX }], budget: { usd: 0.01, period: 'day' } },
    { id: 'initech', keys: [{ id: 'initech-1', key: INITECH }], limits: { tpm: 2_000 } },
    // Half a cent a day: a few panel requests on `vote` (each two or three calls to $10/$30 models).
    { id: 'hooli', keys: [{ id: 'hooli-1', key: HOOLI }], budget: { usd: 0.005, period: 'day' } },
  ],
  models: [
    { id: 'small', provider: 'sim', prices: { input: 0.2, output: 0.6 }, contextWindow: 2_048, limits: { rpm: 2 } },
    { id: 'medium', provider: 'sim', prices: { input: 1, output: 2 }, contextWindow: 8_192 },
    { id: 'large', provider: 'sim', prices: { input: 10, output: 30 }, contextWindow: 128_000 },
    { id: 'large-2', provider: 'sim', prices: { input: 10, output: 30 }, contextWindow: 128_000 },
    { id: 'large-3', provider: 'sim', prices: { input: 10, output: 30 }, contextWindow: 128_000 },
  ],
  routes: [
    { name: 'auto', targets: ['small', 'medium'], policy: { type: 'fixed' } },
    { name: 'pricey', targets: ['large'], policy: { type: 'fixed' } },
    // Two members answer every request, the third model too when their answers differ or cannot be compared.
    { name: 'vote', targets: ['large', 'large-2', 'large-3'], policy: { type: 'cascade', order: 'configured', panel: {} } },
  ],
});

const drivers: Array<{ name: string; state: () => Promise<ConfigInput['state'] | null> }> = [
  { name: 'memory', state: async () => ({ driver: 'memory' }) },
  {
    name: 'redis',
    state: async () => {
      const problem = await probeService(redisService);
      if (problem && servicesRequired()) throw new Error(problem);
      return problem ? null : { driver: 'redis', url: redisUrl, keyPrefix: testKeyPrefix() };
    },
  },
];

for (const driver of drivers) {
  describe(`rate limits and budgets through the gateway (${driver.name} state)`, () => {
    let gw: TestGateway | undefined;
    let prefix: string | undefined;
    before(async () => {
      const state = await driver.state();
      if (!state) return;
      prefix = state.keyPrefix;
      gw = await startTestGateway(limitsConfig(state));
    });
    after(async () => {
      await gw?.close();
      if (prefix) await deleteKeys(prefix);
    });
    const chat = (key: string, body: Record<string, unknown> = {}) =>
      fetch(`${gw?.url}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: 'auto', max_tokens: 20, messages: [{ role: 'user', content: 'hi there' }], ...body }),
      });
    const skipped = (t: { skip(m: string): void }): boolean => {
      if (gw) return false;
      t.skip('Redis not reachable');
      return true;
    };

    test('a key over its RPM gets a 429 rate_limit_exceeded with Retry-After, in the OpenAI shape', async (t) => {
      if (skipped(t)) return;
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await chat(ACME)).status);
      assert.deepEqual(statuses, [200, 200, 200]);
      const r = await chat(ACME);
      assert.equal(r.status, 429);
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
      const body = (await r.json()) as { error: { code: string; type: string; message: string } };
      assert.equal(body.error.code, 'rate_limit_exceeded');
      assert.equal(body.error.type, 'rate_limit_error');
      assert.match(body.error.message, /API key 'acme-1' limit of 3 requests per minute/);
    });

    test('a target at its limit is skipped for the next one', async (t) => {
      if (skipped(t)) return;
      const models = [];
      for (let i = 0; i < 3; i++) models.push((await chat(GLOBEX)).headers.get('x-switchyard-model'));
      // The acme test above may have used small's two requests already; either way the third is never small.
      assert.equal(models[2], 'medium');
    });

    test('TPM: a request that cannot fit is refused naming max_tokens; reservations are corrected by real usage', async (t) => {
      if (skipped(t)) return;
      const tooBig = await chat(INITECH, { max_tokens: 1_900, model: 'pricey' });
      assert.equal(tooBig.status, 200, 'prompt + 1,900 fits in 2,000');
      const refused = await chat(INITECH, { max_tokens: 5_000, model: 'pricey' });
      assert.equal(refused.status, 429);
      assert.equal(((await refused.json()) as { error: { param: string } }).error.param, 'max_tokens');
      // Each reserves ~1,000 tokens but uses far fewer: without the correction only one would pass.
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await chat(INITECH, { max_tokens: 990, model: 'pricey' })).status);
      assert.deepEqual(statuses, [200, 200, 200, 200]);
    });

    test('a budget is never overspent: reserve, commit the real cost, then 402 budget_exceeded', async (t) => {
      if (skipped(t) || !gw) return;
      const statuses: number[] = [];
      for (let i = 0; i < 40 && !statuses.includes(402); i++) {
        statuses.push((await chat(GLOBEX, { model: 'pricey', max_tokens: 60 })).status);
      }
      assert.ok(statuses.filter((s) => s === 200).length >= 3, `several requests fit: ${statuses.join(',')}`);
      assert.equal(statuses.at(-1), 402);
      const r = await chat(GLOBEX, { model: 'pricey', max_tokens: 60 });
      const body = (await r.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'budget_exceeded');
      assert.match(body.error.message, /daily budget of tenant 'globex' \(\$0\.01\)/);
      await gw.flushLedger();
      const db = new Database(gw.ledgerPath, { readonly: true });
      const spent = (db.prepare("SELECT sum(cost_micro_usd) AS c FROM ledger WHERE tenant = 'globex'").get() as { c: number }).c;
      db.close();
      assert.ok(spent <= 10_000, `spent ${spent} micro-USD of a 10,000 budget`);
      assert.ok(spent > 5_000, `most of the budget is usable (${spent})`);
    });

    test('a panel reserves every member and its escalation: concurrent panel requests never overspend a budget', async (t) => {
      if (skipped(t) || !gw) return;
      const statuses: number[] = [];
      // Waves of concurrent requests until the budget refuses: each wave is admitted against reservations only.
      for (let wave = 0; wave < 10 && !statuses.includes(402); wave++) {
        statuses.push(...(await Promise.all(Array.from({ length: 6 }, () => chat(HOOLI, { model: 'vote', max_tokens: 5 }).then((r) => r.status)))));
      }
      assert.ok(statuses.includes(200), statuses.join(','));
      assert.ok(statuses.includes(402), statuses.join(','));
      await gw.flushLedger();
      const db = new Database(gw.ledgerPath, { readonly: true });
      const { spent, calls } = db.prepare("SELECT sum(cost_micro_usd) AS spent, count(*) AS calls FROM ledger WHERE tenant = 'hooli'").get() as { spent: number; calls: number };
      db.close();
      assert.ok(calls >= 2 * statuses.filter((s) => s === 200).length, `every admitted request paid its panel (${calls} calls)`);
      assert.ok(spent <= 5_000, `spent ${spent} micro-USD of a 5,000 budget`);
    });
  });
}
