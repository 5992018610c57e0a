import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProviderError } from '../errors/provider-error.js';
import { classifyHttpError, classifyStreamErrorEvent, classifyTransportError } from './classify-upstream-error.js';
import { parseRetryAfter } from './parse-retry-after.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');

test('Retry-After: seconds, HTTP date, retry-after-ms, garbage', () => {
  assert.equal(parseRetryAfter({ 'retry-after': '3' }, NOW), 3000);
  assert.equal(parseRetryAfter({ 'retry-after': '0.5' }, NOW), 500);
  assert.equal(parseRetryAfter({ 'retry-after': 'Wed, 01 Jan 2025 00:00:10 GMT' }, NOW), 10_000);
  assert.equal(parseRetryAfter({ 'retry-after': 'Tue, 31 Dec 2024 00:00:00 GMT' }, NOW), 0);
  assert.equal(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }, NOW), 250);
  assert.equal(parseRetryAfter({ 'retry-after': 'soon' }, NOW), undefined);
  assert.equal(parseRetryAfter({}, NOW), undefined);
});

const code = (status: number, body = '', headers = {}) => classifyHttpError('p', status, headers, body, NOW).code;

test('status codes map to error codes', () => {
  assert.equal(code(429), 'upstream_rate_limited');
  assert.equal(code(529), 'upstream_overloaded');
  assert.equal(code(503), 'upstream_overloaded');
  assert.equal(code(500), 'upstream_error');
  assert.equal(code(502), 'upstream_error');
  assert.equal(code(504), 'upstream_timeout');
  assert.equal(code(401), 'upstream_auth_error');
  assert.equal(code(403), 'upstream_auth_error');
  assert.equal(code(400), 'upstream_bad_request');
  assert.equal(code(404), 'upstream_bad_request');
  assert.equal(code(422), 'upstream_bad_request');
});

test('the body decides context overflow, content filter and quota', () => {
  const openai = JSON.stringify({ error: { message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } });
  assert.equal(code(400, openai), 'context_length_exceeded');
  const anthropic = JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 208443 tokens > 200000 maximum' } });
  assert.equal(code(400, anthropic), 'context_length_exceeded');
  assert.equal(code(400, '{"error":{"message":"input length and `max_tokens` exceed context limit: 1 + 2 > 2"}}'), 'context_length_exceeded');
  assert.equal(code(400, '{"error":{"code":"content_filter","message":"filtered"}}'), 'upstream_content_filter');
  assert.equal(code(429, '{"error":{"code":"insufficient_quota","message":"You exceeded your current quota"}}'), 'upstream_auth_error');
  const err = classifyHttpError('p', 400, {}, anthropic, NOW);
  assert.equal(err.message, 'p 400: prompt is too long: 208443 tokens > 200000 maximum');
  assert.equal(err.upstreamStatus, 400);
});

test('429 carries retryAfterMs', () => {
  const err = classifyHttpError('p', 429, { 'retry-after': '2' }, '{}', NOW);
  assert.equal(err.retryAfterMs, 2000);
  assert.equal(err.retryable, true);
});

test('stream error events: Anthropic types and OpenAI error objects', () => {
  assert.equal(classifyStreamErrorEvent('p', '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}').code, 'upstream_overloaded');
  assert.equal(classifyStreamErrorEvent('p', '{"type":"error","error":{"type":"rate_limit_error","message":"x"}}').code, 'upstream_rate_limited');
  assert.equal(classifyStreamErrorEvent('p', '{"error":{"message":"boom","type":"server_error"}}').code, 'upstream_error');
});

test('transport errors: abort passes through, timeouts, cuts and connection errors', () => {
  const live = new AbortController().signal;
  const aborted = new AbortController();
  const reason = new Error('deadline');
  aborted.abort(reason);
  assert.equal(classifyTransportError('p', new Error('x'), aborted.signal, 'request'), reason);
  const withCode = (c: string) => Object.assign(new Error(c), { code: c });
  const classify = (c: string, phase: 'request' | 'stream') => (classifyTransportError('p', withCode(c), live, phase) as ProviderError).code;
  assert.equal(classify('UND_ERR_HEADERS_TIMEOUT', 'request'), 'upstream_timeout');
  assert.equal(classify('UND_ERR_BODY_TIMEOUT', 'stream'), 'upstream_timeout');
  assert.equal(classify('UND_ERR_SOCKET', 'stream'), 'upstream_stream_cut');
  assert.equal(classify('UND_ERR_SOCKET', 'request'), 'upstream_connection_error');
  assert.equal(classify('ECONNREFUSED', 'request'), 'upstream_connection_error');
  const bug = new TypeError('bug');
  assert.equal(classifyTransportError('p', bug, live, 'request'), bug, 'programming errors are not disguised');
});
