import { ERROR_CODES, type ErrorCode } from './error-codes.js';

export interface GatewayErrorOptions {
  /** The request field at fault (`messages[2].content`), reported as OpenAI's `param`. */
  param?: string;
  /** Overrides the table's status (e.g. passing an upstream 400 through). */
  status?: number;
  /** ms the client should wait (sent as Retry-After). */
  retryAfterMs?: number;
  cause?: unknown;
}

/** An error the gateway reports to its client; the http layer renders it as an OpenAI error body. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly param: string | undefined;
  readonly status: number;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.param = options.param;
    this.status = options.status ?? ERROR_CODES[code].status;
    this.retryAfterMs = options.retryAfterMs;
  }
}
