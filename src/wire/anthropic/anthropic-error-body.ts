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

/** The Anthropic error type for one of our error codes (overload keeps Anthropic's own name). */
export const anthropicErrorType = (code: ErrorCode): string =>
  code === 'upstream_overloaded' ? 'overloaded_error' : (ANTHROPIC_TYPE[ERROR_CODES[code].type] ?? 'api_error');

/** The error body the /v1/messages endpoint answers with. */
export const toAnthropicErrorBody = (code: ErrorCode, message: string): AnthropicErrorBody => ({
  type: 'error',
  error: { type: anthropicErrorType(code), message },
});
