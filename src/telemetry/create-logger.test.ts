import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, REDACTED } from './create-logger.js';

const capture = (): { lines: () => Array<Record<string, unknown>>; raw: () => string; write(s: string): void } => {
  let out = '';
  return {
    write: (s) => { out += s; },
    raw: () => out,
    lines: () => out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>),
  };
};

const SECRETS = ['sk-live-SECRET1', 'Bearer sk-SECRET2', 'SECRET3-admin', 'SECRET4-pass', 'SECRET5-cookie', 'SECRET6-x-api-key', 'SECRET7-token', 'SECRET8-deep'];
const PROMPTS = ['PROMPT-TEXT-user-question', 'ANSWER-TEXT-model', 'SYSTEM-PROMPT-TEXT', 'RAW-BODY-TEXT'];

test('secrets, headers and prompt text never reach the output', () => {
  const sink = capture();
  const logger = createLogger({ level: 'info', destination: sink });
  logger.info({
    apiKey: SECRETS[0],
    req: { headers: { authorization: SECRETS[1], cookie: SECRETS[4], 'x-api-key': SECRETS[5], 'user-agent': 'curl/8' } },
    provider: { name: 'openai', secret: SECRETS[2], password: SECRETS[3] },
    auth: { token: SECRETS[6], nested: { api_key: SECRETS[7] } },
    messages: [{ role: 'user', content: PROMPTS[0] }],
    response: { choices: [{ message: { content: PROMPTS[1] } }] },
    system: PROMPTS[2],
    body: PROMPTS[3],
  }, 'upstream call');
  const raw = sink.raw();
  for (const s of [...SECRETS, ...PROMPTS]) assert.ok(!raw.includes(s), `${s} leaked: ${raw}`);
  const [line] = sink.lines();
  assert.equal((line?.['req'] as { headers: Record<string, unknown> }).headers['user-agent'], 'curl/8', 'harmless fields survive');
  assert.equal(line?.['apiKey'], REDACTED);
});

test('token counts are not mistaken for tokens', () => {
  const sink = capture();
  const logger = createLogger({ level: 'info', destination: sink });
  logger.info({ inputTokens: 1200, outputTokens: 300, cachedInputTokens: 1000, reasoningTokens: 50, usage: { inputTokens: 7, cacheWriteTokens: 2 }, keyId: 'key-1', tenant: 'acme' }, 'request');
  const [line] = sink.lines();
  assert.equal(line?.['inputTokens'], 1200);
  assert.equal(line?.['outputTokens'], 300);
  assert.equal(line?.['cachedInputTokens'], 1000);
  assert.equal(line?.['reasoningTokens'], 50);
  assert.deepEqual(line?.['usage'], { inputTokens: 7, cacheWriteTokens: 2 });
  assert.equal(line?.['keyId'], 'key-1', 'a key *id* is not a secret');
});

test('errors keep message and stack, but fields carrying secrets are censored', () => {
  const sink = capture();
  const logger = createLogger({ level: 'info', destination: sink });
  const err = Object.assign(new Error('upstream said no'), { apiKey: 'sk-ERRSECRET' });
  logger.error({ err }, 'failed');
  const raw = sink.raw();
  assert.ok(!raw.includes('sk-ERRSECRET'), raw);
  assert.match(raw, /upstream said no/);
});

test('the level filters lines', () => {
  const sink = capture();
  const logger = createLogger({ level: 'warn', destination: sink });
  logger.info('hidden');
  logger.warn('shown');
  assert.deepEqual(sink.lines().map((l) => l['msg']), ['shown']);
});

test('child-logger bindings are censored too, and the logged object is not mutated', () => {
  const sink = capture();
  const logger = createLogger({ level: 'info', destination: sink }).child({ apiKey: 'sk-CHILDSECRET', tenant: 'acme' }).child({ token: 'GRANDCHILDSECRET' });
  const payload = { req: { headers: { authorization: 'Bearer sk-KEEP-IN-CALLER' } } };
  logger.info(payload, 'x');
  assert.ok(!sink.raw().includes('sk-CHILDSECRET'), sink.raw());
  assert.ok(!sink.raw().includes('GRANDCHILDSECRET'), sink.raw());
  assert.ok(!sink.raw().includes('sk-KEEP-IN-CALLER'), sink.raw());
  assert.equal(payload.req.headers.authorization, 'Bearer sk-KEEP-IN-CALLER', 'redaction copies, never edits the caller object');
  assert.equal(sink.lines()[0]?.['tenant'], 'acme');
});
