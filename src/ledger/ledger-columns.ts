import type { LedgerRow } from '../spec/ledger.js';

/** Ledger table columns in insert order; both stores use this one list so they cannot drift. */
export const LEDGER_COLUMNS = [
  'request_id', 'decision_id', 'attempt', 'ts', 'tenant', 'api_key_id', 'tags', 'route', 'target', 'model', 'provider',
  'input_tokens', 'output_tokens', 'cached_input_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_micro_usd',
  'latency_ms', 'ttft_ms', 'outcome', 'error_code', 'stream', 'policy', 'policy_version', 'config_hash',
] as const;

export type LedgerColumnValue = string | number | boolean | null;

const int = Math.round;

/**
 * A row's values in LEDGER_COLUMNS order; tags as JSON text, `stream` as a boolean (each store maps
 * it). Numbers are rounded because Postgres rejects `12.5` for an integer column, and one such row
 * would fail its whole batch.
 */
export const ledgerRowValues = (r: LedgerRow): LedgerColumnValue[] => [
  r.requestId, r.decisionId, int(r.attempt), int(r.ts), r.tenant, r.apiKeyId, JSON.stringify(r.tags), r.route, r.target, r.model, r.provider,
  int(r.inputTokens), int(r.outputTokens), int(r.cachedInputTokens), int(r.cacheWriteTokens), int(r.reasoningTokens), int(r.costMicroUsd),
  int(r.latencyMs), r.ttftMs === null ? null : int(r.ttftMs), r.outcome, r.errorCode, r.stream, r.policy, r.policyVersion, r.configHash,
];

/** Why a row cannot be stored (a non-finite number would fail its whole batch forever), or null. */
export const invalidLedgerRow = (r: LedgerRow): string | null => {
  const numbers = [
    ['attempt', r.attempt], ['ts', r.ts], ['inputTokens', r.inputTokens], ['outputTokens', r.outputTokens],
    ['cachedInputTokens', r.cachedInputTokens], ['cacheWriteTokens', r.cacheWriteTokens], ['reasoningTokens', r.reasoningTokens],
    ['costMicroUsd', r.costMicroUsd], ['latencyMs', r.latencyMs], ['ttftMs', r.ttftMs ?? 0],
  ] as const;
  for (const [name, value] of numbers) if (typeof value !== 'number' || !Number.isFinite(value)) return `${name} is not a finite number`;
  if (typeof r.requestId !== 'string' || r.requestId === '') return 'requestId is empty';
  return null;
};

/** Index of `stream` in LEDGER_COLUMNS (SQLite stores booleans as 0/1). */
export const STREAM_COLUMN_INDEX = LEDGER_COLUMNS.indexOf('stream');
