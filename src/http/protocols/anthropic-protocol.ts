import {
  anthropicErrorEvent,
  anthropicErrorType,
  createAnthropicStreamEncoder,
  parseMessagesRequest,
  toAnthropicErrorBody,
  toMessagesResponse,
} from '../../wire/anthropic/index.js';
import type { InboundProtocol } from './inbound-protocol.js';

/** Anthropic Messages on the client side, so Anthropic SDK users can point at the gateway. */
export const anthropicProtocol: InboundProtocol = {
  parse: parseMessagesRequest,
  response: toMessagesResponse,
  streamEncoder: () => {
    const encoder = createAnthropicStreamEncoder();
    return {
      chunk: (c) => encoder.encode(c),
      end: () => encoder.finish(),
      error: (err) => anthropicErrorEvent(anthropicErrorType(err.code), err.message),
    };
  },
  errorBody: (err) => toAnthropicErrorBody(err.code, err.message),
};
