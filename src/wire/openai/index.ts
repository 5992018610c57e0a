export {
  MAX_CHOICES,
  MAX_MESSAGES,
  MAX_OUTPUT_TOKENS,
  MAX_STOP_SEQUENCES,
  MAX_TOOLS,
  MAX_TOP_LOGPROBS,
  wireChatRequestSchema,
  type WireChatRequest,
} from './chat-request-schema.js';
export { parseChatRequest } from './parse-chat-request.js';
export { toWireRequest, type ToWireRequestOptions } from './to-wire-request.js';
export { toWireChunk, toWireResponse, toWireUsage, type WireUsage } from './to-wire-response.js';
export { fromWireChunk, fromWireResponse, fromWireUsage } from './from-wire-response.js';
