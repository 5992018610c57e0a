import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.js';

/** Mulberry32: a seeded PRNG so a failing fuzz case can be replayed. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const SEED = Number(process.env['FUZZ_SEED'] ?? 1234);
const CASES = Number(process.env['FUZZ_CASES'] ?? 400);

type Gen = (r: () => number) => { body: Buffer | string; headers?: Record<string, string> };
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const junkValues = [null, true, -1, 1e308, 'x', '', [], {}, [[[]]], { role: 'user' }, '\u0000', '\ud800', 'a'.repeat(10_000)];

const generators: Record<string, Gen> = {
  randomBytes: (r) => ({ body: Buffer.from(Array.from({ length: 1 + Math.floor(r() * 512) }, () => Math.floor(r() * 256))) }),
  invalidUtf8: () => ({ body: Buffer.concat([Buffer.from('{"model":"auto","messages":[{"role":"user","content":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}]}')]) }),
  deepNesting: (r) => {
    const depth = 1000 + Math.floor(r() * 100_000);
    return { body: `{"model":"auto","messages":${'['.repeat(depth)}${']'.repeat(depth)}}` };
  },
  hugeMessageArray: () => ({ body: JSON.stringify({ model: 'auto', messages: Array.from({ length: 20_000 }, () => ({ role: 'user', content: '' })) }) }),
  wrongTypes: (r) => {
    const base: Record<string, unknown> = { model: 'auto', messages: [{ role: 'user', content: 'hi' }] };
    const field = pick(r, ['model', 'messages', 'temperature', 'max_tokens', 'n', 'stop', 'tools', 'tool_choice', 'response_format', 'stream', 'stream_options', 'top_p', 'seed', 'logprobs']);
    base[field] = pick(r, junkValues);
    return { body: JSON.stringify(base) };
  },
  wrongMessageShape: (r) => ({ body: JSON.stringify({ model: 'auto', messages: [{ role: pick(r, ['user', 'tool', 'assistant', 'x']), content: pick(r, junkValues), tool_calls: pick(r, junkValues) }] }) }),
  truncatedJson: (r) => {
    const s = JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hello there' }] });
    return { body: s.slice(0, Math.floor(r() * s.length)) };
  },
  // Far beyond Node's 16 KB header limit: the HTTP parser answers 431 before the gateway sees it.
  hugeHeaders: (r) => ({
    body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }),
    headers: { [`x-junk-${Math.floor(r() * 1000)}`]: 'j'.repeat(20_000 + Math.floor(r() * 100_000)) },
  }),
  hostileHeaders: (r) => ({
    body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }),
    headers: {
      'x-switchyard-tags': pick(r, ['a=b'.repeat(2000), '=,=,=', 'k=v,'.repeat(100), '\u00ff=\u00ff']),
      'x-switchyard-quality-floor': pick(r, ['NaN', '-0', '1e999', '0x1', '']),
      'x-request-id': pick(r, ['x'.repeat(4000), '../../etc/passwd', 'ok-id']),
      authorization: pick(r, ['Bearer', 'Basic abc', 'Bearer ' + 'k'.repeat(5000)]),
    },
  }),
};

describe('fuzz: malformed and oversized requests never crash the gateway nor get a 5xx', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ server: { bodyLimitBytes: 1024 * 1024 } });
  });
  after(() => gw.close());

  test(`${CASES} generated cases (seed ${SEED})`, async () => {
    const r = prng(SEED);
    const names = Object.keys(generators);
    const statuses = new Map<number, number>();
    for (let i = 0; i < CASES; i++) {
      const name = pick(r, names);
      const { body, headers = {} } = generators[name]!(r);
      const path = pick(r, ['/v1/chat/completions', '/v1/messages']);
      let status: number;
      let text: string;
      try {
        const res = await request(`${gw.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, headersTimeout: 10_000, bodyTimeout: 10_000 });
        status = res.statusCode;
        text = await res.body.text();
      } catch (err) {
        // Node's HTTP parser may refuse hostile headers before they reach us (431): that is fine.
        if (name === 'hostileHeaders' || name === 'hugeHeaders') continue;
        throw new Error(`case ${i} (${name}) failed at the transport level: ${(err as Error).message}`);
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      assert.ok(status < 500, `case ${i} (${name}) got ${status}: ${text.slice(0, 300)}`);
      if (status >= 400) {
        const parsed = JSON.parse(text) as { error?: { message?: string } };
        assert.equal(typeof parsed.error?.message, 'string', `case ${i} (${name}): error body ${text.slice(0, 200)}`);
      }
    }
    const alive = await fetch(`${gw.url}/healthz`);
    assert.equal(alive.status, 200);
    assert.ok((statuses.get(200) ?? 0) < CASES, 'most cases are rejected');
  });
});
