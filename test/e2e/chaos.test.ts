import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.js';

const REQUESTS = Number(process.env['CHAOS_REQUESTS'] ?? 300);
const CONCURRENCY = 20;

/**
 * 30% of upstream calls fail (429 with Retry-After, 5xx, overload, timeouts, stalls, cut streams,
 * malformed JSON, wrong content types). Every request must end with a valid answer or a clean
 * OpenAI-shaped error — nothing hangs, nothing is a truncated "success" — and every attempt is in
 * the ledger.
 */
describe('chaos: 30% upstream failures', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({
      execution: { backoffBaseMs: 1, backoffMaxMs: 10, maxRetryAfterMs: 50, ttftTimeoutMs: 400, stallTimeoutMs: 400, attemptTimeoutMs: 800, totalTimeoutMs: 5_000 },
      breaker: { failureThreshold: 1_000, cooldownMs: 1_000 },
    });
    gw.simulators[0]!.setFaults('*', {
      rate429: 0.05, retryAfterSeconds: 0, rate5xx: 0.05, rateOverloaded: 0.03, rateTimeout: 0.03, rateStall: 0.03, rateCut: 0.05, rateMalformed: 0.03, rateWrongContentType: 0.03,
    });
  });
  after(() => gw.close());

  test(`${REQUESTS} mixed requests, ${CONCURRENCY} at a time`, async () => {
    const outcomes = { ok: 0, cleanError: 0, streamError: 0 };
    let next = 0;
    const one = async (i: number): Promise<void> => {
      const stream = i % 2 === 0;
      const res = await request(`${gw.url}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, headersTimeout: 15_000, bodyTimeout: 15_000,
        body: JSON.stringify({ model: 'auto', stream, max_tokens: 40, messages: [{ role: 'user', content: `request ${i}: tell me something` }] }),
      });
      const text = await res.body.text();
      if (res.statusCode !== 200) {
        const body = JSON.parse(text) as { error: { message: string; code: string; type: string } };
        assert.ok(body.error.message && body.error.code && body.error.type, `request ${i}: ${text}`);
        outcomes.cleanError += 1;
        return;
      }
      if (!stream) {
        const body = JSON.parse(text) as { choices: Array<{ message: { content: string | null } }> };
        assert.ok(body.choices.length > 0, `request ${i}: ${text}`);
        outcomes.ok += 1;
        return;
      }
      const events = text.split('\n\n').map((e) => e.trim()).filter(Boolean);
      const last = events.at(-1) ?? '';
      if (last === 'data: [DONE]') outcomes.ok += 1;
      else {
        const err = JSON.parse(last.slice('data: '.length)) as { error: { code: string } };
        assert.ok(err.error.code, `request ${i}: stream ended without [DONE] and without an error event: ${last}`);
        outcomes.streamError += 1;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) await one(next++);
    }));
    assert.equal(outcomes.ok + outcomes.cleanError + outcomes.streamError, REQUESTS);
    assert.ok(outcomes.ok > REQUESTS * 0.8, `most requests succeed thanks to retries and fallbacks: ${JSON.stringify(outcomes)}`);
    await gw.flushLedger();
    const db = new Database(gw.ledgerPath, { readonly: true });
    const requests = (db.prepare('SELECT count(DISTINCT request_id) AS n FROM ledger').get() as { n: number }).n;
    const failedAttempts = (db.prepare("SELECT count(*) AS n FROM ledger WHERE outcome = 'error'").get() as { n: number }).n;
    db.close();
    assert.equal(requests, REQUESTS, 'every request has ledger rows');
    assert.ok(failedAttempts > 0, 'failed attempts are recorded too');
    const calls = Object.values(gw.simulators[0]!.stats()).reduce((a, s) => a + s.calls, 0);
    const faults = Object.values(gw.simulators[0]!.stats()).reduce((a, s) => a + s.faults, 0);
    assert.ok(faults / calls > 0.2 && faults / calls < 0.4, `about 30% of upstream calls failed (${faults}/${calls})`);
  });
});
