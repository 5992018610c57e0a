import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED, redactFields } from './redact-fields.js';

test('an object with nothing to censor is returned as is (no copy on the hot path)', () => {
  const flat = { requestId: 'r', inputTokens: 5, nested: { outputTokens: 2, list: [1, { a: 1 }] } };
  assert.equal(redactFields(flat), flat);
});

test('censors by exact name inside arrays and nested objects, leaving siblings intact', () => {
  const input = { a: [{ messages: ['hi'] }, { ok: 1 }], b: { c: { token: 't', tokens: 3 } } };
  assert.deepEqual(redactFields(input), { a: [{ messages: REDACTED }, { ok: 1 }], b: { c: { token: REDACTED, tokens: 3 } } });
  assert.deepEqual(input.a[0], { messages: ['hi'] });
});

test('errors keep their prototype, message and stack when a field is censored', () => {
  const err = Object.assign(new TypeError('boom'), { apiKey: 'sk-x', status: 401 });
  const out = redactFields({ err }).err;
  assert.ok(out instanceof TypeError);
  assert.equal(out.message, 'boom');
  assert.equal(out.stack, err.stack);
  assert.equal((out as unknown as { apiKey: string }).apiKey, REDACTED);
  assert.equal(err.apiKey, 'sk-x');
});

test('null and undefined secrets stay as they are; class instances are not walked', () => {
  assert.deepEqual(redactFields({ apiKey: null }), { apiKey: null });
  const url = new URL('https://example.com');
  assert.equal(redactFields({ url }).url, url);
});
