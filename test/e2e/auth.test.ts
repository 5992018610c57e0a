import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.js';

const ACME = 'sk-acme-0123456789abcdef';
const GLOBEX = 'sk-globex-0123456789abcdef';
const ADMIN = 'sk-admin-0123456789abcdef';

describe('virtual keys, tenants and the admin key', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway(
      {
        tenants: [
          { id: 'acme', tier: 'premium', keys: [{ id: 'acme-1', key: '${ACME_KEY}' }], tags: { product: 'search' } },
          { id: 'globex', keys: [{ id: 'globex-1', key: GLOBEX }] },
        ],
        auth: { adminKeys: [{ id: 'ops', key: '${ADMIN_KEY}' }] },
      },
      { ACME_KEY: ACME, ADMIN_KEY: ADMIN },
    );
  });
  after(() => gw.close());

  const chat = (key?: string) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }),
    });

  test('missing and unknown keys get 401 in the OpenAI shape', async () => {
    for (const key of [undefined, 'sk-wrong-0123456789abcdef']) {
      const r = await chat(key);
      assert.equal(r.status, 401);
      const body = (await r.json()) as { error: { type: string; code: string } };
      assert.equal(body.error.type, 'authentication_error');
      assert.equal(body.error.code, 'invalid_api_key');
    }
  });

  test('a valid key works with the SDK and is billed to its tenant', async () => {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: ACME, maxRetries: 0 });
    await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] });
    await gw.flushLedger();
    const spend = await fetch(`${gw.url}/admin/spend?group_by=tenant,api_key,tag:product`, { headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(spend.status, 200);
    const rows = ((await spend.json()) as { data: Array<{ group: Record<string, string>; costMicroUsd: number }> }).data;
    const acme = rows.find((r) => r.group['tenant'] === 'acme');
    assert.ok(acme && acme.costMicroUsd > 0);
    assert.equal(acme.group['api_key'], 'acme-1');
    assert.equal(acme.group['tag:product'], 'search');
  });

  test('admin endpoints need the admin key: tenant keys get 403, none 401', async () => {
    const asTenant = await fetch(`${gw.url}/admin/spend?group_by=tenant`, { headers: { authorization: `Bearer ${GLOBEX}` } });
    assert.equal(asTenant.status, 403);
    const anonymous = await fetch(`${gw.url}/admin/spend?group_by=tenant`);
    assert.equal(anonymous.status, 401);
  });

  test('keys never appear in logs', async () => {
    await chat(ACME);
    await chat('sk-wrong-0123456789abcdef');
    const all = gw.logs.join('\n');
    for (const secret of [ACME, GLOBEX, ADMIN, 'sk-wrong-0123456789abcdef']) assert.ok(!all.includes(secret), 'secret leaked into logs');
  });
});
