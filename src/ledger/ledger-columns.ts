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

const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);

/**
 * Why a row cannot be stored (a non-finite number would fail its whole batch forever), or null.
 * It runs for every row on the request path: plain checks, no arrays of pairs per call.
 */
export const invalidLedgerRow = (r: LedgerRow): string | null => {
  if (!finite(r.attempt)) return 'attempt is not a finite number';
  if (!finite(r.ts)) return 'ts is not a finite number';
  if (!finite(r.inputTokens)) return 'inputTokens is not a finite number';
  if (!finite(r.outputTokens)) return 'outputTokens is not a finite number';
  if (!finite(r.cachedInputTokens)) return 'cachedInputTokens is not a finite number';
  if (!finite(r.cacheWriteTokens)) return 'cacheWriteTokens is not a finite number';
  if (!finite(r.reasoningTokens)) return 'reasoningTokens is not a finite number';
  if (!finite(r.costMicroUsd)) return 'costMicroUsd is not a finite number';
  if (!finite(r.latencyMs)) return 'latencyMs is not a finite number';
  if (r.ttftMs !== null && !finite(r.ttftMs)) return 'ttftMs is not a finite number';
  if (typeof r.requestId !== 'string' || r.requestId === '') return 'requestId is empty';
  return null;
};

/** Index of `stream` in LEDGER_COLUMNS (SQLite stores booleans as 0/1). */
export const STREAM_COLUMN_INDEX = LEDGER_COLUMNS.indexOf('stream');
