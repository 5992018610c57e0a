import { ERROR_CODES, type ErrorCode } from './error-codes.js';

export interface ProviderErrorOptions {
  provider: string;
  /** HTTP status from the upstream, when there was one. */
  upstreamStatus?: number;
  /** Parsed Retry-After in ms, when the upstream sent one. */
  retryAfterMs?: number;
  cause?: unknown;
}

/** Thrown by adapters: what went wrong upstream, classified into an ERROR_CODES entry. */
export class ProviderError extends Error {
  readonly code: ErrorCode;
  readonly provider: string;
  readonly upstreamStatus: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: ProviderErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
    this.code = code;
    this.provider = options.provider;
    this.upstreamStatus = options.upstreamStatus;
    this.retryAfterMs = options.retryAfterMs;
  }

  get retryable(): boolean {
    return ERROR_CODES[this.code].retryable;
  }

  get fallbackable(): boolean {
    return ERROR_CODES[this.code].fallbackable;
  }
}
