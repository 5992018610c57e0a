import type { ChatChunk, ChatRequest, ChatResponse } from '../../spec/chat.js';
import type { GatewayError } from '../../errors/index.js';

/**
 * One client-facing wire protocol (OpenAI Chat Completions, Anthropic Messages). The chat route is
 * written once against this; each protocol only translates.
 */
export interface InboundProtocol {
  parse(body: unknown): ChatRequest;
  response(res: ChatResponse): unknown;
  /** A fresh encoder per stream: turns canonical chunks into SSE text. */
  streamEncoder(request: ChatRequest): StreamEncoder;
  errorBody(err: GatewayError): unknown;
}

export interface StreamEncoder {
  chunk(c: ChatChunk): string;
  /** Text after the last chunk (e.g. `data: [DONE]`). */
  end(): string;
  /** An in-stream error event: the stream ends with it instead of a silent truncation. */
  error(err: GatewayError): string;
}
