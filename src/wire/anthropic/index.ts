export { MAX_ANTHROPIC_MESSAGES, MAX_ANTHROPIC_TOOLS, messagesRequestSchema, type MessagesRequest } from './messages-request-schema.js';
export { parseMessagesRequest } from './parse-messages-request.js';
export { toMessagesRequest, DEFAULT_ANTHROPIC_MAX_TOKENS, ANTHROPIC_PASSTHROUGH_PARAMS } from './to-messages-request.js';
export { fromMessagesResponse } from './from-messages-response.js';
export { toMessagesResponse } from './to-messages-response.js';
export { fromAnthropicUsage, toAnthropicUsage, fromStopReason, toStopReason, type AnthropicUsage } from './anthropic-usage.js';
export { createAnthropicStreamDecoder, type AnthropicStreamDecoder } from './create-anthropic-stream-decoder.js';
export {
  createAnthropicStreamEncoder,
  anthropicErrorEvent,
  sseEvent,
  type AnthropicStreamEncoder,
  type AnthropicStreamEncoderOptions,
} from './create-anthropic-stream-encoder.js';
export { toAnthropicErrorBody, anthropicErrorType, type AnthropicErrorBody } from './anthropic-error-body.js';
