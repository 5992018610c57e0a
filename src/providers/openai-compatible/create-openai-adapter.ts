import type { ProviderSettings } from '../../spec/provider.js';
import { fromWireChunk, fromWireResponse } from '../../wire/openai/from-wire-response.js';
import { toWireRequest, type ToWireRequestOptions } from '../../wire/openai/to-wire-request.js';
import { classifyStreamErrorEvent } from '../classify-upstream-error.js';
import { createHttpAdapter, parseEventJson, type HttpAdapter, type StreamDecoder, type WireProtocol } from '../create-http-adapter.js';
import { basePath, buildHeaders, createUpstreamClient } from '../create-upstream-client.js';

export type OpenAIAdapterOptions = ToWireRequestOptions;

/**
 * Chat path. Azure OpenAI (classic API) is recognised by `apiVersion`: the deployment (our
 * upstreamModel) goes in the path and `api-version` in the query, with baseUrl
 * `https://{resource}.openai.azure.com/openai`. Azure's v1 API, vLLM, Ollama, Together, Groq…
 * need nothing but their baseUrl (and headers).
 */
const chatPath = (settings: ProviderSettings): ((model: string) => string) => {
  const base = basePath(settings.baseUrl);
  if (settings.apiVersion === undefined) {
    const path = `${base}/chat/completions`;
    return () => path;
  }
  const query = `?api-version=${encodeURIComponent(settings.apiVersion)}`;
  const cache = new Map<string, string>();
  return (model) => {
    let path = cache.get(model);
    if (path === undefined) {
      path = `${base}/deployments/${encodeURIComponent(model)}/chat/completions${query}`;
      cache.set(model, path);
    }
    return path;
  };
};

const streamDecoder = (provider: string): StreamDecoder => {
  let done = false;
  return {
    next(event) {
      if (event.data === '[DONE]') {
        done = true;
        return undefined;
      }
      if (event.event === 'error') throw classifyStreamErrorEvent(provider, event.data);
      const json = parseEventJson(provider, event.data);
      // OpenAI reports failures after the first byte as a data line carrying `error`.
      if (json.error !== undefined && json.error !== null) throw classifyStreamErrorEvent(provider, event.data);
      return fromWireChunk(json, provider);
    },
    get done() {
      return done;
    },
  };
};

/** An adapter for OpenAI and every OpenAI-compatible upstream. */
export const createOpenAIAdapter = (name: string, settings: ProviderSettings, options: OpenAIAdapterOptions = {}): HttpAdapter => {
  const headers = buildHeaders(settings, settings.apiVersion === undefined ? 'bearer' : 'api-key', { accept: 'application/json, text/event-stream' });
  const protocol: WireProtocol = {
    path: chatPath(settings),
    encode: (request, model, stream) =>
      JSON.stringify(toWireRequest(request.stream === stream ? request : { ...request, stream }, model, options)),
    decodeResponse: (json) => fromWireResponse(json, name),
    streamDecoder: () => streamDecoder(name),
  };
  return createHttpAdapter('openai', name, createUpstreamClient(name, settings, headers), protocol);
};
