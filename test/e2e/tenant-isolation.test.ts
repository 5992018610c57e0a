import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { startTestGateway } from '../helpers/start-test-gateway.js';

const KEYS = { acme: 'sk-acme-0123456789abcdef', globex: 'sk-globex-0123456789abcdef', admin: 'sk-admin-0123456789abcdef' };

test('tenant isolation: concurrent tenants are each billed for their own requests only; admin data needs the admin key', async () => {
  const gw = await startTestGateway({
    tenants: [
      { id: 'acme', keys: [{ id: 'acme-1', key: KEYS.acme }], tags: { product: 'search' }, budget: { usd: 100 } },
      { id: 'globex', keys: [{ id: 'globex-1', key: KEYS.globex }] },
    ],
    auth: { adminKeys: [{ id: 'ops', key: KEYS.admin }] },
  });
  const sentBy = new Map<string, string>();
  try {
    await Promise.all(Array.from({ length: 60 }, async (_, i) => {
      const tenant = i % 2 === 0 ? 'acme' : 'globex';
      const id = randomUUID();
      sentBy.set(id, tenant);
      const r = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        // A client-chosen tag never changes who pays: tenant and key come from the API key alone.
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS[tenant as 'acme' | 'globex']}`, 'x-request-id': id, 'x-switchyard-tags': 'tenant=acme,product=search' },
        body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: `request ${i}` }] }),
      });
      assert.equal(r.status, 200);
    }));
    for (const path of ['/admin/spend?group_by=tenant', '/admin/stats']) {
      for (const key of [KEYS.acme, KEYS.globex]) {
        const r = await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
        assert.equal(r.status, 403, `${path} with a tenant key`);
      }
      assert.equal((await fetch(`${gw.url}${path}`)).status, 401, `${path} without a key`);
      assert.equal((await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${KEYS.admin}` } })).status, 200);
    }
    await gw.flushLedger();
  } finally {
    await gw.close();
  }
  const db = new Database(gw.ledgerPath, { readonly: true });
  const rows = db.prepare('SELECT request_id, tenant, api_key_id FROM ledger').all() as Array<{ request_id: string; tenant: string; api_key_id: string }>;
  db.close();
  assert.equal(rows.length, 60);
  for (const r of rows) {
    assert.equal(r.tenant, sentBy.get(r.request_id), `request ${r.request_id}`);
    assert.equal(r.api_key_id, `${r.tenant}-1`);
  }
});
