import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.js';

interface ErrorBody { error: { message: string; type: string; param: string | null; code: string } }

describe('bad input gets a clear OpenAI-shaped 4xx and never crashes the gateway', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ server: { maxMessages: 50, bodyLimitBytes: 64 * 1024 } });
  });
  after(() => gw.close());

  const post = async (body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }, path = '/v1/chat/completions') => {
    const r = await fetch(`${gw.url}${path}`, { method: 'POST', body, headers });
    return { status: r.status, body: (await r.json()) as ErrorBody };
  };
  const chat = (extra: Record<string, unknown>) => JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hi' }], ...extra });

  const cases: Array<[string, () => Promise<{ status: number; body: ErrorBody }>, number, RegExp, string | null]> = [
    ['malformed JSON', () => post('{"model": "auto", "messages": ['), 400, /JSON/, null],
    ['empty body', () => post(''), 400, /empty|JSON/i, null],
    ['not an object', () => post('[1,2,3]'), 400, /.+/, null],
    ['missing messages', () => post(JSON.stringify({ model: 'auto' })), 400, /messages/, 'messages'],
    ['wrong role', () => post(JSON.stringify({ model: 'auto', messages: [{ role: 'robot', content: 'x' }] })), 400, /role/, 'messages[0].role'],
    ['wrong type for temperature', () => post(chat({ temperature: 'hot' })), 400, /temperature/, 'temperature'],
    ['temperature out of range', () => post(chat({ temperature: 7 })), 400, /temperature/, 'temperature'],
    ['negative max_tokens', () => post(chat({ max_tokens: -1 })), 400, /max_tokens/, 'max_tokens'],
    ['n too large', () => post(chat({ n: 1000 })), 400, /\bn\b/, 'n'],
    ['unknown model', () => post(chat({ model: 'gpt-9' })), 404, /gpt-9/, 'model'],
    ['too many messages', () => post(JSON.stringify({ model: 'auto', messages: Array.from({ length: 51 }, () => ({ role: 'user', content: 'x' })) })), 400, /at most 50/, 'messages'],
    ['oversized body', () => post(chat({ messages: [{ role: 'user', content: 'x'.repeat(100_000) }] })), 413, /too large: the limit is 65536 bytes/, null],
    ['wrong content type', () => post(chat({}), { 'content-type': 'text/plain' }), 415, /application\/json/, null],
    ['bad tags header', () => post(chat({}), { 'content-type': 'application/json', 'x-switchyard-tags': 'no-equals' }), 400, /x-switchyard-tags/, 'x-switchyard-tags'],
    ['bad quality floor header', () => post(chat({}), { 'content-type': 'application/json', 'x-switchyard-quality-floor': '2' }), 400, /quality-floor/, 'x-switchyard-quality-floor'],
    ['prototype poisoning', () => post('{"model":"auto","messages":[{"role":"user","content":"x"}],"__proto__":{"admin":true}}'), 400, /"__proto__".*prototype poisoning/, null],
    ['compressed body', () => post(gzipSync(chat({})), { 'content-type': 'application/json', 'content-encoding': 'gzip' }), 415, /Content-Encoding gzip is not supported/, null],
  ];

  for (const [name, send, status, message, param] of cases) {
    test(name, async () => {
      const r = await send();
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.equal(typeof r.body.error.type, 'string');
      assert.equal(typeof r.body.error.code, 'string');
      assert.match(r.body.error.message, message);
      if (param !== null) assert.equal(r.body.error.param, param);
    });
  }

  test('unknown path is a 404 in the OpenAI shape', async () => {
    const r = await fetch(`${gw.url}/v1/nothing`);
    assert.equal(r.status, 404);
    assert.equal(((await r.json()) as ErrorBody).error.code, 'not_found');
  });

  test('every error answer is counted by status and code, refused before routing included', async () => {
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    const count = (status: number, code: string): number =>
      Number(new RegExp(`^switchyard_error_responses_total\\{status="${status}",code="${code}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
    assert.equal(count(404, 'model_not_found'), 1);
    assert.equal(count(413, 'body_too_large'), 1);
    assert.equal(count(415, 'unsupported_media_type'), 2);
    assert.ok(count(400, 'invalid_request') >= 8, metrics);
  });

  test('the gateway still serves after all of the above', async () => {
    const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chat({}) });
    assert.equal(r.status, 200);
  });
});
