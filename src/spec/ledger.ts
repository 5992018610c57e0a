/** Outcome of one attempt: `ok`, or the error code that ended it. */
export type AttemptOutcome = 'ok' | 'error' | 'aborted';

/** One row per attempt (failed attempts too). Money is integer micro-USD. */
export interface LedgerRow {
  requestId: string;
  decisionId: string;
  attempt: number;
  /** ms since epoch when the attempt started. */
  ts: number;
  tenant: string;
  apiKeyId: string;
  tags: Record<string, string>;
  route: string;
  target: string;
  model: string;
  provider: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costMicroUsd: number;
  latencyMs: number;
  ttftMs: number | null;
  outcome: AttemptOutcome;
  errorCode: string | null;
  stream: boolean;
  policy: string;
  policyVersion: string;
  configHash: string;
}

export type SpendGroupKey = 'tenant' | 'model' | 'route' | 'target' | 'provider' | 'api_key' | 'day' | 'outcome' | `tag:${string}`;

export interface SpendQuery {
  groupBy: SpendGroupKey[];
  /** ms since epoch, inclusive. */
  from?: number;
  /** ms since epoch, exclusive. */
  to?: number;
  /** Restrict to one tenant (non-admin callers). */
  tenant?: string;
}

export interface SpendRow {
  group: Record<string, string>;
  requests: number;
  attempts: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
  costMicroUsd: number;
}

export interface LedgerStore {
  /** Insert rows atomically (one transaction). */
  insert(rows: readonly LedgerRow[]): Promise<void>;
  spend(query: SpendQuery): Promise<SpendRow[]>;
  /** Count rows, for tests and health. */
  count(): Promise<number>;
  close(): Promise<void>;
}

/** Accepts rows on the request path without I/O; flushes in batches. */
export interface LedgerWriter {
  write(row: LedgerRow): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Rows buffered and not yet persisted. */
  readonly pending: number;
}
