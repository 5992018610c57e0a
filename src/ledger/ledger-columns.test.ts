import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerRow } from '../spec/ledger.js';
import { invalidLedgerRow } from './ledger-columns.js';

const row = (over: Partial<LedgerRow> = {}): LedgerRow => ({
  requestId: 'r1', decisionId: 'd1', attempt: 1, ts: 1_700_000_000_000, tenant: 't', apiKeyId: 'k', tags: {}, route: 'auto',
  target: 'm', model: 'm', provider: 'p', inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0,
  reasoningTokens: 0, costMicroUsd: 12, latencyMs: 30, ttftMs: null, outcome: 'ok', errorCode: null, stream: false,
  policy: 'fixed', policyVersion: 'v1', configHash: 'h', ...over,
});

test('a complete row is valid, with or without a time to first token', () => {
  assert.equal(invalidLedgerRow(row()), null);
  assert.equal(invalidLedgerRow(row({ ttftMs: 12 })), null);
});

test('every numeric field that is not a finite number is named', () => {
  const fields = ['attempt', 'ts', 'inputTokens', 'outputTokens', 'cachedInputTokens', 'cacheWriteTokens', 'reasoningTokens', 'costMicroUsd', 'latencyMs', 'ttftMs'] as const;
  for (const field of fields) {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '5' as unknown as number]) {
      assert.equal(invalidLedgerRow(row({ [field]: bad })), `${field} is not a finite number`, `${field} = ${String(bad)}`);
    }
  }
});

test('a row without a request id is refused', () => {
  assert.equal(invalidLedgerRow(row({ requestId: '' })), 'requestId is empty');
});
