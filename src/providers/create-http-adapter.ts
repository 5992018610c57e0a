import type { ChatChunk, ChatRequest, ChatResponse } from '../spec/chat.js';
import type { CallSignal, ProviderAdapter, ProviderCall } from '../spec/provider.js';
import { ProviderError } from '../errors/provider-error.js';
import { classifyTransportError } from './classify-upstream-error.js';
import { discardBody, type UpstreamBody, type UpstreamClient } from './create-upstream-client.js';
import { parseSse, type SseEvent } from './parse-sse.js';

/** Reads one provider's stream; throws ProviderError on an error event. */
export interface StreamDecoder {
  next(event: SseEvent): ChatChunk | undefined;
  /** True once the provider's end marker ([DONE], message_stop) was seen. */
  readonly done: boolean;
}

/** What differs between HTTP providers: paths, body encoding, response and stream decoding. */
export interface WireProtocol {
  path(upstreamModel: string): string;
  encode(request: ChatRequest, upstreamModel: string, stream: boolean): string;
  decodeResponse(json: unknown): ChatResponse;
  streamDecoder(): StreamDecoder;
}

export interface HttpAdapter extends ProviderAdapter {
  /** Closes the connection pool. */
  close(): Promise<void>;
}

async function* readStream(provider: string, body: UpstreamBody, decoder: StreamDecoder, signal: CallSignal): AsyncGenerator<ChatChunk> {
  let ended = false;
  try {
    for await (const event of parseSse(body)) {
      // After the end marker the rest of the body is drained (not destroyed) so that the
      // keep-alive socket goes back to the pool.
      if (decoder.done) continue;
      const chunk = decoder.next(event);
      if (chunk !== undefined) yield chunk;
    }
    ended = true;
  } catch (err) {
    throw classifyTransportError(provider, err, signal, 'stream');
  } finally {
    // Consumer stopped early or the stream failed: release the socket.
    if (!ended) discardBody(body);
  }
  // A stream that ends without its end marker was cut: the answer may be truncated.
  if (!decoder.done) throw new ProviderError('upstream_stream_cut', `${provider}: stream ended before its end marker`, { provider });
}

/** The adapter shared by every HTTP provider; the protocol object is all that differs. */
export const createHttpAdapter = (kind: string, provider: string, client: UpstreamClient, protocol: WireProtocol): HttpAdapter => ({
  kind,
  async chat(call: ProviderCall): Promise<ChatResponse> {
    const body = protocol.encode(call.request, call.upstreamModel, false);
    return protocol.decodeResponse(await client.postJson(protocol.path(call.upstreamModel), body, call.signal));
  },
  async chatStream(call: ProviderCall): Promise<AsyncIterable<ChatChunk>> {
    const body = protocol.encode(call.request, call.upstreamModel, true);
    const res = await client.postStream(protocol.path(call.upstreamModel), body, call.signal);
    return readStream(provider, res, protocol.streamDecoder(), call.signal);
  },
  close: () => client.close(),
});

/** Parses one SSE data payload; garbage is upstream_invalid_response. */
export const parseEventJson = (provider: string, data: string): Record<string, unknown> => {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (err) {
    throw new ProviderError('upstream_invalid_response', `${provider}: stream event is not JSON`, { provider, cause: err });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ProviderError('upstream_invalid_response', `${provider}: stream event is not an object`, { provider });
  }
  return json as Record<string, unknown>;
};
