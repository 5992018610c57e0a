import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestGateway } from '../helpers/start-test-gateway.js';

const UPSTREAM_KEY = 'sk-upstream-SECRET-0123456789';
const TENANT_KEY = 'sk-tenant-SECRET-0123456789';
const ADMIN_KEY = 'sk-admin-SECRET-0123456789';
const REDIS_PASSWORD = 'redis-SECRET-0123456789';
const SECRETS = [UPSTREAM_KEY, TENANT_KEY, ADMIN_KEY, REDIS_PASSWORD, 'sk-wrong-SECRET-0123456789'];

/**
 * A careless upstream that echoes the credentials it received in its error bodies (some do, in
 * "invalid API key: …" messages). Nothing it says may carry our secrets to a client, a log line
 * or a metric.
 */
test('secrets never appear in error bodies, logs or metrics, even when an upstream echoes them', async () => {
  const upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const auth = String(req.headers['authorization'] ?? '');
      const status = req.url?.includes('chat') ? (Math.random() < 0.5 ? 401 : 500) : 404;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${auth.replace('Bearer ', '')}; header was ${auth}` } }));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
  const gw = await startTestGateway(
    {
      state: { driver: 'redis', url: `redis://:\${REDIS_PASSWORD}@127.0.0.1:1`, keyPrefix: 'switchyard-test-secrets:' },
      providers: { careless: { kind: 'openai', baseUrl: base, apiKey: '${UPSTREAM_KEY}' } },
      models: [{ id: 'm', provider: 'careless', prices: { input: 1, output: 1 } }],
      routes: [{ name: 'auto', targets: ['m'] }],
      tenants: [{ id: 't', keys: [{ id: 'k', key: '${TENANT_KEY}' }] }],
      auth: { adminKeys: [{ id: 'ops', key: '${ADMIN_KEY}' }] },
    },
    { UPSTREAM_KEY, TENANT_KEY, ADMIN_KEY, REDIS_PASSWORD },
  );
  const bodies: string[] = [];
  try {
    for (const key of [TENANT_KEY, TENANT_KEY, TENANT_KEY, 'sk-wrong-SECRET-0123456789']) {
      for (const stream of [false, true]) {
        const r = await fetch(`${gw.url}/v1/chat/completions`, {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ model: 'auto', stream, messages: [{ role: 'user', content: 'hi' }] }),
        });
        assert.ok(r.status >= 400);
        bodies.push(await r.text());
      }
    }
    bodies.push(await (await fetch(`${gw.url}/admin/spend?group_by=tenant`, { headers: { authorization: `Bearer ${TENANT_KEY}` } })).text());
    bodies.push(await (await fetch(`${gw.url}/metrics`)).text());
    bodies.push(await (await fetch(`${gw.url}/healthz`)).text());
    assert.ok(bodies.some((b) => b.includes('Incorrect API key provided')), 'the upstream message itself is passed on');
  } finally {
    await gw.close();
    await new Promise((r) => upstream.close(r));
  }
  const everything = [...bodies, ...gw.logs].join('\n');
  for (const secret of SECRETS) assert.ok(!everything.includes(secret), `secret ${secret.slice(0, 12)}… leaked`);
});
