/**
 * The one table of error codes. Everything that decides on an error (HTTP status, retry,
 * fallback, the OpenAI error `type`) reads it here, so behaviour cannot drift between modules.
 *
 * - retryable: the same target may succeed if asked again (after backoff / Retry-After).
 * - fallbackable: another target may succeed where this one failed.
 */
export interface ErrorCodeInfo {
  status: number;
  retryable: boolean;
  fallbackable: boolean;
  type: 'invalid_request_error' | 'authentication_error' | 'permission_error' | 'not_found_error' | 'rate_limit_error' | 'api_error' | 'server_error' | 'insufficient_quota';
}

export const ERROR_CODES = {
  // Client errors: never retried, never fall back.
  invalid_json: { status: 400, retryable: false, fallbackable: false, type: 'invalid_request_error' },
  invalid_request: { status: 400, retryable: false, fallbackable: false, type: 'invalid_request_error' },
  body_too_large: { status: 413, retryable: false, fallbackable: false, type: 'invalid_request_error' },
  headers_too_large: { status: 431, retryable: false, fallbackable: false, type: 'invalid_request_error' },
  request_timeout: { status: 408, retryable: false, fallbackable: false, type: 'invalid_request_error' },
  unsupported_media_type: { status: 415, retryable: false, fallbackable: false, type: 'invalid_request_error' },
  model_not_found: { status: 404, retryable: false, fallbackable: false, type: 'invalid_request_error' },
  not_found: { status: 404, retryable: false, fallbackable: false, type: 'not_found_error' },
  // Also answered for another tenant's decision: its existence is never revealed.
  decision_not_found: { status: 404, retryable: false, fallbackable: false, type: 'not_found_error' },
  invalid_api_key: { status: 401, retryable: false, fallbackable: false, type: 'authentication_error' },
  forbidden: { status: 403, retryable: false, fallbackable: false, type: 'permission_error' },
  rate_limit_exceeded: { status: 429, retryable: false, fallbackable: false, type: 'rate_limit_error' },
  budget_exceeded: { status: 402, retryable: false, fallbackable: false, type: 'insufficient_quota' },
  no_capable_target: { status: 400, retryable: false, fallbackable: false, type: 'invalid_request_error' },
  client_closed: { status: 499, retryable: false, fallbackable: false, type: 'invalid_request_error' },

  // Upstream errors.
  upstream_rate_limited: { status: 429, retryable: true, fallbackable: true, type: 'rate_limit_error' },
  upstream_overloaded: { status: 503, retryable: true, fallbackable: true, type: 'server_error' },
  upstream_error: { status: 502, retryable: true, fallbackable: true, type: 'server_error' },
  upstream_timeout: { status: 504, retryable: true, fallbackable: true, type: 'server_error' },
  upstream_invalid_response: { status: 502, retryable: true, fallbackable: true, type: 'server_error' },
  upstream_stream_cut: { status: 502, retryable: true, fallbackable: true, type: 'server_error' },
  upstream_connection_error: { status: 502, retryable: true, fallbackable: true, type: 'server_error' },
  // A bigger context window elsewhere may fit: fall back, but retrying here is pointless.
  context_length_exceeded: { status: 400, retryable: false, fallbackable: true, type: 'invalid_request_error' },
  // Our credentials for that provider are wrong; another provider may still answer.
  upstream_auth_error: { status: 502, retryable: false, fallbackable: true, type: 'server_error' },
  // The upstream rejected the request itself: another target would reject it too.
  upstream_bad_request: { status: 400, retryable: false, fallbackable: false, type: 'invalid_request_error' },
  upstream_content_filter: { status: 400, retryable: false, fallbackable: false, type: 'invalid_request_error' },

  // Gateway-side.
  circuit_open: { status: 503, retryable: false, fallbackable: true, type: 'server_error' },
  all_targets_failed: { status: 502, retryable: false, fallbackable: false, type: 'server_error' },
  deadline_exceeded: { status: 504, retryable: false, fallbackable: false, type: 'server_error' },
  shutting_down: { status: 503, retryable: false, fallbackable: false, type: 'server_error' },
  // Shared state (Redis) unreachable with state.failMode: closed: limits and budgets cannot be checked.
  state_unavailable: { status: 503, retryable: false, fallbackable: false, type: 'server_error' },
  internal_error: { status: 500, retryable: false, fallbackable: false, type: 'api_error' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const errorInfo = (code: ErrorCode): ErrorCodeInfo => ERROR_CODES[code];

export const isErrorCode = (value: string): value is ErrorCode => Object.hasOwn(ERROR_CODES, value);
