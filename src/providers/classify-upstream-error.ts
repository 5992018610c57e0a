import type { IncomingHttpHeaders } from 'node:http';
import type { ErrorCode } from '../errors/error-codes.js';
import { ProviderError } from '../errors/provider-error.js';
import type { CallSignal } from '../spec/provider.js';
import { parseRetryAfter } from './parse-retry-after.js';

/** Phrases providers use for "the prompt does not fit" (OpenAI, Anthropic, vLLM, Groq, Together, Ollama). */
const CONTEXT_OVERFLOW =
  /context[_ ]length|maximum context|context window|prompt is too long|too many tokens|exceeds? (the )?context|input length and `?max_tokens`? exceed|reduce the length of the (messages|prompt)/i;
const CONTENT_FILTER = /content_filter|content_policy_violation|content management policy/i;
const INSUFFICIENT_QUOTA = /insufficient_quota|billing/i;

/** Anthropic error `type` → the HTTP status it comes with, for errors that arrive inside a stream. */
const ANTHROPIC_TYPE_STATUS: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** Status → code, for everything not decided by the body. */
const byStatus = (status: number): ErrorCode => {
  if (status === 429) return 'upstream_rate_limited';
  if (status === 503 || status === 529) return 'upstream_overloaded';
  if (status === 408 || status === 504) return 'upstream_timeout';
  if (status === 401 || status === 403) return 'upstream_auth_error';
  if (status >= 500) return 'upstream_error';
  return 'upstream_bad_request';
};

const upstreamMessage = (bodyText: string): string => {
  try {
    const json = JSON.parse(bodyText) as { error?: { message?: unknown } | string; message?: unknown };
    const err = json.error;
    if (typeof err === 'string') return err;
    if (err && typeof err.message === 'string') return err.message;
    if (typeof json.message === 'string') return json.message;
  } catch {
    // not JSON: use the text itself
  }
  return bodyText.slice(0, 300);
};

/** The body decides where the status is ambiguous: a 400 may be a context overflow or a content filter. */
const codeOf = (status: number, bodyText: string): ErrorCode => {
  if (status === 400 || status === 413 || status === 422) {
    if (CONTEXT_OVERFLOW.test(bodyText)) return 'context_length_exceeded';
    if (CONTENT_FILTER.test(bodyText)) return 'upstream_content_filter';
  }
  // Quota exhausted comes as a 429 but waiting will not help; another provider might.
  if (status === 429 && INSUFFICIENT_QUOTA.test(bodyText)) return 'upstream_auth_error';
  if (/overloaded_error/.test(bodyText)) return 'upstream_overloaded';
  return byStatus(status);
};

/** An HTTP error answer from upstream (status ≥ 400, or an error event inside a stream) → ProviderError. */
export const classifyHttpError = (
  provider: string,
  status: number,
  headers: IncomingHttpHeaders,
  bodyText: string,
  nowMs: number = Date.now(),
): ProviderError => {
  const code = codeOf(status, bodyText);
  const retryAfterMs = parseRetryAfter(headers, nowMs);
  return new ProviderError(code, `${provider} ${status}: ${upstreamMessage(bodyText)}`, {
    provider,
    upstreamStatus: status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
};

/** An error event received inside a 200 stream (Anthropic `event: error`, OpenAI `{"error":…}`). */
export const classifyStreamErrorEvent = (provider: string, data: string): ProviderError => {
  const type = /"type"\s*:\s*"(\w+_error)"/.exec(data)?.[1];
  const status = (type === undefined ? undefined : ANTHROPIC_TYPE_STATUS[type]) ?? 500;
  return classifyHttpError(provider, status, {}, data);
};

const TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const CUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * A transport failure → ProviderError. An abort by our own signal is rethrown as is: the
 * gateway knows whether it was the client leaving or a deadline. ProviderErrors pass through;
 * errors without a network code are bugs and are rethrown unchanged rather than disguised.
 */
export const classifyTransportError = (provider: string, err: unknown, signal: CallSignal, phase: 'request' | 'stream'): unknown => {
  if (signal.aborted) return signal.reason;
  if (err instanceof ProviderError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return err;
  const message = `${provider}: ${(err as Error).message ?? code}`;
  if (TIMEOUT_CODES.has(code)) return new ProviderError('upstream_timeout', message, { provider, cause: err });
  if (phase === 'stream' && CUT_CODES.has(code)) return new ProviderError('upstream_stream_cut', message, { provider, cause: err });
  return new ProviderError('upstream_connection_error', message, { provider, cause: err });
};
