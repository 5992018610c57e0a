import type { ProviderSettings } from '../../spec/provider.js';
import { createAnthropicStreamDecoder } from '../../wire/anthropic/create-anthropic-stream-decoder.js';
import { fromMessagesResponse } from '../../wire/anthropic/from-messages-response.js';
import { DEFAULT_ANTHROPIC_MAX_TOKENS, toMessagesRequest } from '../../wire/anthropic/to-messages-request.js';
import { classifyStreamErrorEvent } from '../classify-upstream-error.js';
import { createHttpAdapter, parseEventJson, type HttpAdapter, type StreamDecoder, type WireProtocol } from '../create-http-adapter.js';
import { basePath, buildHeaders, createUpstreamClient } from '../create-upstream-client.js';

export const ANTHROPIC_VERSION = '2023-06-01';

export interface AnthropicAdapterOptions {
  /** max_tokens when the request has none (Anthropic requires it). */
  defaultMaxTokens?: number;
  /** Seconds clock for `created` (Anthropic responses have none). */
  nowSeconds?: () => number;
}

const streamDecoder = (provider: string, nowSeconds: number): StreamDecoder => {
  const decoder = createAnthropicStreamDecoder(nowSeconds);
  return {
    next(event) {
      if (event.event === 'ping') return undefined;
      if (event.event === 'error') throw classifyStreamErrorEvent(provider, event.data);
      const json = parseEventJson(provider, event.data);
      if (json.type === 'error') throw classifyStreamErrorEvent(provider, event.data);
      return decoder.decode(json);
    },
    get done() {
      return decoder.finished;
    },
  };
};

/** An adapter for Anthropic's Messages API (baseUrl e.g. https://api.anthropic.com/v1). */
export const createAnthropicAdapter = (name: string, settings: ProviderSettings, options: AnthropicAdapterOptions = {}): HttpAdapter => {
  const headers = buildHeaders(settings, 'x-api-key', { 'anthropic-version': ANTHROPIC_VERSION, accept: 'application/json, text/event-stream' });
  const path = `${basePath(settings.baseUrl)}/messages`;
  const maxTokens = options.defaultMaxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS;
  const now = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const protocol: WireProtocol = {
    path: () => path,
    encode: (request, model, stream) =>
      JSON.stringify(toMessagesRequest(request.stream === stream ? request : { ...request, stream }, model, maxTokens)),
    decodeResponse: (json) => fromMessagesResponse(json, name, now()),
    streamDecoder: () => streamDecoder(name, now()),
  };
  return createHttpAdapter('anthropic', name, createUpstreamClient(name, settings, headers), protocol);
};
