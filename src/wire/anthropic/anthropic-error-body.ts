import { ERROR_CODES, type ErrorCode } from '../../errors/error-codes.js';

/** Anthropic's error types, keyed by the OpenAI error type our ERROR_CODES table uses. */
const ANTHROPIC_TYPE: Readonly<Record<string, string>> = {
  invalid_request_error: 'invalid_request_error',
  authentication_error: 'authentication_error',
  permission_error: 'permission_error',
  not_found_error: 'not_found_error',
  rate_limit_error: 'rate_limit_error',
  insufficient_quota: 'billing_error',
  api_error: 'api_error',
  server_error: 'api_error',
};

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

/**
 * Anthropic names some errors by their HTTP status where OpenAI folds them into
 * invalid_request_error (an unknown model is a 404 `not_found_error` there, a body over the limit
 * a 413 `request_too_large`); overload keeps Anthropic's own name.
 */
const BY_STATUS: Readonly<Record<number, string>> = { 404: 'not_found_error', 413: 'request_too_large' };

/** The Anthropic error type for one of our error codes. */
export const anthropicErrorType = (code: ErrorCode): string => {
  if (code === 'upstream_overloaded') return 'overloaded_error';
  const entry = ERROR_CODES[code];
  return BY_STATUS[entry.status] ?? ANTHROPIC_TYPE[entry.type] ?? 'api_error';
};

/** The error body the /v1/messages endpoint answers with. */
export const toAnthropicErrorBody = (code: ErrorCode, message: string): AnthropicErrorBody => ({
  type: 'error',
  error: { type: anthropicErrorType(code), message },
});
