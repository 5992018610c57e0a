import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SpendRow } from '../spec/ledger.js';
import { formatSpendTable } from './format-spend-table.js';

const row = (group: Record<string, string>, costMicroUsd: number): SpendRow => ({
  group, requests: 1, attempts: 1, inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, reasoningTokens: 0, costMicroUsd,
});

test('an empty report says so instead of printing a bare header', () => {
  assert.equal(formatSpendTable([], ['tenant']), 'no spend in this window');
});

test('missing tag values show as -, a single row has no total line', () => {
  const text = formatSpendTable([row({ 'tag:product': '' }, 7)], ['tag:product']);
  assert.match(text, /^-\s+1\s+1\s+10\s+5\s+0\s+0\s+0\.000007$/m);
  assert.doesNotMatch(text, /TOTAL/);
});
