import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Database from 'better-sqlite3';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.js';
import type { Faults } from '../../src/simulator/simulator-options.js';

interface Row { request_id: string; attempt: number; target: string; outcome: string; error_code: string | null; cost_micro_usd: number; output_tokens: number }

describe('fault injection: every fallback rule, through the real server and SDK', () => {
  let gw: TestGateway;
  let client: OpenAI;
  before(async () => {
    gw = await startTestGateway({
      execution: { backoffBaseMs: 1, backoffMaxMs: 5, maxRetryAfterMs: 2_000, ttftTimeoutMs: 300, stallTimeoutMs: 300, attemptTimeoutMs: 300, totalTimeoutMs: 10_000 },
      // High threshold here: breakers have their own test below, with their own gateway.
      breaker: { failureThreshold: 1_000, cooldownMs: 60_000 },
    });
    client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  after(() => gw.close());

  const sim = () => gw.simulators[0]!;
  const fault = (model: string, faults: Faults) => sim().setFaults(model, faults);
  beforeEach(() => {
    for (const m of ['small', 'medium', 'large']) fault(m, {});
  });

  const rowsFor = async (requestId: string): Promise<Row[]> => {
    await gw.flushLedger();
    const db = new Database(gw.ledgerPath, { readonly: true });
    try {
      return db.prepare('SELECT * FROM ledger WHERE request_id = ? ORDER BY attempt').all(requestId) as Row[];
    } finally {
      db.close();
    }
  };

  const ask = async (model = 'auto', extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {}) => {
    const { data, response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'Say hello' }], ...extra })
      .withResponse();
    return { data, served: response.headers.get('x-switchyard-model'), requestId: response.headers.get('x-request-id') ?? '' };
  };

  test('a 5xx is retried on the same target', async () => {
    fault('small', { failNext: ['server_error'] });
    const r = await ask();
    assert.equal(r.served, 'small');
    const rows = await rowsFor(r.requestId);
    assert.deepEqual(rows.map((x) => [x.target, x.outcome, x.error_code]), [['small', 'error', 'upstream_error'], ['small', 'ok', null]]);
  });

  test('a 429 with a long Retry-After falls back at once', async () => {
    fault('small', { failNext: ['rate_limit'], retryAfterSeconds: 30 });
    const r = await ask();
    assert.equal(r.served, 'medium');
    const rows = await rowsFor(r.requestId);
    assert.deepEqual(rows.map((x) => [x.target, x.error_code]), [['small', 'upstream_rate_limited'], ['medium', null]]);
  });

  test('an upstream that never answers times out and falls back', async () => {
    fault('small', { failNext: ['timeout', 'timeout'] });
    const r = await ask();
    assert.equal(r.served, 'medium');
    assert.equal((await rowsFor(r.requestId))[0]?.error_code, 'upstream_timeout');
  });

  test('malformed JSON and wrong content types are retried, then fall back', async () => {
    fault('small', { failNext: ['malformed', 'wrong_content_type'] });
    const r = await ask();
    assert.equal(r.served, 'medium');
    const codes = (await rowsFor(r.requestId)).map((x) => x.error_code);
    assert.deepEqual(codes, ['upstream_invalid_response', 'upstream_invalid_response', null]);
  });

  test('overload falls back', async () => {
    fault('small', { failNext: ['overloaded', 'overloaded'] });
    assert.equal((await ask()).served, 'medium');
  });

  test('stream: failure before the first byte falls back invisibly', async () => {
    fault('small', { failNext: ['server_error', 'rate_limit'], retryAfterSeconds: 30 });
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'auto', stream: true, messages: [{ role: 'user', content: 'Count to three' }] })
      .withResponse();
    assert.equal(response.headers.get('x-switchyard-model'), 'medium');
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    assert.ok(text.length > 0);
  });

  test('stream: a cut after the first byte ends with an error, never a silent success', async () => {
    fault('small', { failNext: ['cut'] });
    const stream = await client.chat.completions.create({
      model: 'auto', stream: true, max_tokens: 200, messages: [{ role: 'user', content: 'Write a long story about a fox' }],
    });
    let text = '';
    await assert.rejects(
      (async () => {
        for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
      })(),
      (e: Error) => e instanceof OpenAI.APIError,
    );
    assert.ok(text.length > 0, 'some text arrived before the cut');
  });

  test('stream: a stall after the first byte is cut by the stall deadline and reported', async () => {
    fault('small', { failNext: ['stall'] });
    const stream = await client.chat.completions.create({ model: 'auto', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
    await assert.rejects(
      (async () => {
        for await (const _ of stream) { /* drain */ }
      })(),
      (e: Error) => e instanceof OpenAI.APIError && /stalled/.test(e.message),
    );
  });

  test('all targets failing gives a clean OpenAI error', async () => {
    fault('large', { failNext: ['server_error', 'server_error'] });
    fault('medium', { failNext: ['server_error', 'server_error'] });
    await assert.rejects(ask('big-first'), (e: unknown) => {
      assert.ok(e instanceof OpenAI.APIError);
      assert.equal(e.status, 502);
      assert.match(e.message, /all targets failed/);
      return true;
    });
  });
});

describe('circuit breaker across requests', () => {
  let gw: TestGateway;
  let client: OpenAI;
  before(async () => {
    gw = await startTestGateway({ breaker: { failureThreshold: 3, cooldownMs: 60_000 } });
    client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  after(() => gw.close());
  const sim = () => gw.simulators[0]!;
  const ask = async () => {
    const { response } = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'Say hello' }] }).withResponse();
    return { served: response.headers.get('x-switchyard-model') };
  };

  test('consecutive failures open the breaker; the next request skips that target', async () => {
    sim().setFaults('small', { failNext: ['server_error', 'server_error', 'server_error', 'server_error'] });
    await ask();
    await ask();
    const before = sim().stats()['small']?.calls ?? 0;
    const r = await ask();
    assert.equal(r.served, 'medium');
    assert.equal(sim().stats()['small']?.calls ?? 0, before, 'small was not called while its breaker is open');
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    assert.match(metrics, /switchyard_breaker_state\{target="small"\} 2/);
  });
});
