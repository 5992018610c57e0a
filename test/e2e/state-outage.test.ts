import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceOrSkip } from '../helpers/require-service.js';
import { deleteKeys, redisService, redisUrl, testKeyPrefix } from '../helpers/redis-service.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { startTestGateway } from '../helpers/start-test-gateway.js';

const LIMITED = 'sk-limited-0123456789abcdef';
const FREE = 'sk-free-0123456789abcdefgh';

const metric = async (url: string, name: string): Promise<number> => {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
};

for (const failMode of ['closed', 'open'] as const) {
  test(`Redis outage with failMode ${failMode}: served or refused as configured, logged once, in metrics, recovered`, async (t) => {
    if (!(await serviceOrSkip(redisService, t))) return;
    const proxy = await startTcpProxy('127.0.0.1', Number(new URL(redisUrl).port || 6379));
    const keyPrefix = testKeyPrefix();
    const gw = await startTestGateway({
      state: { driver: 'redis', url: `redis://127.0.0.1:${proxy.port}`, keyPrefix, failMode },
      tenants: [
        { id: 'limited', keys: [{ id: 'l', key: LIMITED, limits: { rpm: 1_000 } }] },
        { id: 'free', keys: [{ id: 'f', key: FREE }] },
      ],
    });
    const chat = (key: string) => fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const waitUp = async (up: number): Promise<void> => {
      for (let i = 0; i < 300 && (await metric(gw.url, 'switchyard_state_backend_up')) !== up; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(await metric(gw.url, 'switchyard_state_backend_up'), up);
    };
    try {
      assert.equal((await chat(LIMITED)).status, 200);
      await waitUp(1);
      await proxy.cut();
      await waitUp(0);
      const during = await Promise.all([chat(LIMITED), chat(LIMITED), chat(FREE)]);
      if (failMode === 'closed') {
        assert.deepEqual(during.map((r) => r.status), [503, 503, 200], 'limited requests refused, unlimited ones served');
        assert.equal(((await during[0]!.json()) as { error: { code: string } }).error.code, 'state_unavailable');
      } else {
        assert.deepEqual(during.map((r) => r.status), [200, 200, 200], 'served on local limits');
      }
      assert.equal(await metric(gw.url, 'switchyard_state_fallbacks_total'), 2);
      await proxy.restore();
      await waitUp(1);
      assert.equal((await chat(LIMITED)).status, 200);
    } finally {
      await gw.close();
      await proxy.close();
      await deleteKeys(keyPrefix);
    }
    const outageLines = gw.logs.filter((l) => l.includes('Redis unreachable'));
    assert.equal(outageLines.length, 1, 'the outage is logged once (and the shutdown is not an outage)');
  });
}
