export { ERROR_CODES, errorInfo, isErrorCode, type ErrorCode, type ErrorCodeInfo } from './error-codes.js';
export { GatewayError, type GatewayErrorOptions } from './gateway-error.js';
export { ProviderError, type ProviderErrorOptions } from './provider-error.js';
export { toOpenAIErrorBody, type OpenAIErrorBody } from './openai-error-body.js';
