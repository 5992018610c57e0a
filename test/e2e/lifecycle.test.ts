import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { buildConfig } from '../../src/config/load-config.js';
import { startGateway } from '../../src/cli/start-gateway.js';
import { startTestGateway, testConfigTree } from '../helpers/start-test-gateway.js';

const waitFor = async (check: () => boolean | Promise<boolean>, what: string): Promise<void> => {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
};

describe('lifecycle', () => {
  test('a client that disconnects aborts the upstream call, recorded as aborted', async () => {
    const gw = await startTestGateway({ execution: { ttftTimeoutMs: 5_000, stallTimeoutMs: 5_000, attemptTimeoutMs: 5_000, totalTimeoutMs: 10_000 } });
    try {
      gw.simulators[0]!.setFaults('small', { failNext: ['timeout'] });
      const client = new AbortController();
      const pending = fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST', signal: client.signal, headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hello?' }] }),
      }).catch((e: Error) => e);
      await waitFor(() => (gw.simulators[0]!.stats()['small']?.calls ?? 0) > 0, 'the upstream call');
      client.abort();
      await pending;
      await waitFor(async () => {
        await gw.flushLedger();
        const db = new Database(gw.ledgerPath, { readonly: true });
        const n = (db.prepare("SELECT count(*) AS n FROM ledger WHERE outcome = 'aborted' AND error_code = 'client_closed'").get() as { n: number }).n;
        db.close();
        return n === 1;
      }, 'the aborted ledger row');
      assert.equal(gw.simulators[0]!.stats()['medium']?.calls ?? 0, 0, 'no fallback after the client left');
    } finally {
      await gw.close();
    }
  });

  test('health and readiness answer; requests finish and the ledger is flushed on close', async () => {
    const gw = await startTestGateway();
    assert.equal((await fetch(`${gw.url}/readyz`)).status, 200);
    assert.equal((await fetch(`${gw.url}/healthz`)).status, 200);
    const inflight = Array.from({ length: 10 }, () =>
      fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }) }).then((r) => r.status),
    );
    const statuses = await Promise.all(inflight);
    await gw.close();
    assert.deepEqual(statuses, Array(10).fill(200));
    const db = new Database(gw.ledgerPath, { readonly: true });
    assert.equal((db.prepare('SELECT count(*) AS n FROM ledger').get() as { n: number }).n, 10);
    db.close();
  });
});

describe('start-up failures', () => {
  test('a port already in use is a clear error and leaves nothing running', async () => {
    const first = await startTestGateway();
    try {
      const port = Number(new URL(first.url).port);
      const config = buildConfig(testConfigTree(`${first.ledgerPath}.2`), 'test', {});
      await assert.rejects(startGateway({ config, port, host: '127.0.0.1', logLevel: 'silent' }), /EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
