import { ERROR_CODES, type ErrorCode } from './error-codes.js';

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

/** The OpenAI error body every failure is rendered as, on any endpoint. */
export const toOpenAIErrorBody = (code: ErrorCode, message: string, param?: string): OpenAIErrorBody => ({
  error: { message, type: ERROR_CODES[code].type, param: param ?? null, code },
});
