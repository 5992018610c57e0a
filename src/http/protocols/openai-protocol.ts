import { toOpenAIErrorBody } from '../../errors/index.js';
import { parseChatRequest, toWireChunk, toWireResponse } from '../../wire/openai/index.js';
import type { InboundProtocol } from './inbound-protocol.js';

/**
 * OpenAI Chat Completions on the client side. The gateway always asks upstreams for stream usage
 * (to bill every token); a client that did not set `stream_options.include_usage` does not get it.
 * An error after the first byte is sent as a `data: {"error": …}` event, which the official SDK
 * raises as an APIError, and the stream then ends without `[DONE]`.
 */
export const openaiProtocol: InboundProtocol = {
  parse: parseChatRequest,
  response: toWireResponse,
  streamEncoder: (request) => ({
    chunk(c) {
      if (!request.includeUsage && c.usage !== undefined) {
        if (c.choices.length === 0) return '';
        return `data: ${JSON.stringify(toWireChunk({ ...c, usage: undefined }))}\n\n`;
      }
      return `data: ${JSON.stringify(toWireChunk(c))}\n\n`;
    },
    end: () => 'data: [DONE]\n\n',
    error: (err) => `data: ${JSON.stringify(toOpenAIErrorBody(err.code, err.message, err.param))}\n\n`,
  }),
  errorBody: (err) => toOpenAIErrorBody(err.code, err.message, err.param),
};
