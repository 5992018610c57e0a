import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES } from './error-codes.js';

test('every error code maps to a 4xx/5xx status and a known OpenAI type', () => {
  for (const [code, info] of Object.entries(ERROR_CODES)) {
    assert.ok(info.status >= 400 && info.status < 600, `${code} status ${info.status}`);
    assert.match(info.type, /_error$|^insufficient_quota$/, code);
  }
});

test('client errors are never retried nor fall back', () => {
  for (const [code, info] of Object.entries(ERROR_CODES)) {
    if (code.startsWith('upstream_') || code === 'context_length_exceeded' || code === 'circuit_open') continue;
    assert.equal(info.retryable, false, code);
  }
  assert.equal(ERROR_CODES.invalid_request.fallbackable, false);
  assert.equal(ERROR_CODES.upstream_bad_request.fallbackable, false);
});

test('rate limits, 5xx and timeouts upstream both retry and fall back', () => {
  for (const code of ['upstream_rate_limited', 'upstream_error', 'upstream_timeout', 'upstream_overloaded'] as const) {
    assert.equal(ERROR_CODES[code].retryable, true, code);
    assert.equal(ERROR_CODES[code].fallbackable, true, code);
  }
  assert.equal(ERROR_CODES.context_length_exceeded.retryable, false);
  assert.equal(ERROR_CODES.context_length_exceeded.fallbackable, true);
});
