import type { ChatChunk, ChatRequest, ChatResponse } from './chat.js';

/**
 * An abort scope: `aborted`/`reason` like an AbortSignal, and listeners told once when it aborts
 * (the gateway's per-request scope, src/gateway/abort-scope.ts: an AbortSignal costs microseconds
 * to create and to listen to on Node 20). An EventEmitter emitting 'abort' once fits too; so
 * does what undici accepts as a signal besides an EventTarget (it needs `on`, `once`, `removeListener`).
 */
export interface AbortScopeLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  on(event: 'abort', listener: () => void): unknown;
  once(event: 'abort', listener: () => void): unknown;
  removeListener(event: 'abort', listener: () => void): unknown;
}

/** What aborts an upstream call: an AbortSignal or an abort scope. undici takes both. */
export type CallSignal = AbortSignal | AbortScopeLike;

/**
 * Calls `listener` once when `signal` aborts (either kind); returns the function that detaches it.
 * The one way to listen to a CallSignal, here beside the type so that the gateway and the
 * providers share it.
 */
export const onAbort = (signal: CallSignal, listener: () => void): (() => void) => {
  if ('addEventListener' in signal) {
    signal.addEventListener('abort', listener, { once: true });
    return () => signal.removeEventListener('abort', listener);
  }
  signal.once('abort', listener);
  return () => signal.removeListener('abort', listener);
};

/** One call to one upstream: the canonical request, the provider's own model name, an abort signal. */
export interface ProviderCall {
  request: ChatRequest;
  /** The model id as the upstream knows it (e.g. `gpt-4o-mini`, an Azure deployment, `claude-3-5-haiku-latest`). */
  upstreamModel: string;
  /** Aborted on client disconnect, attempt deadline or total deadline. */
  signal: CallSignal;
}

/**
 * A stateless translator between the canonical shape and one provider's wire protocol.
 * Adapters never retry, fall back, compute cost or log bodies: they translate and throw ProviderError.
 */
export interface ProviderAdapter {
  /** Adapter kind (`openai`, `anthropic`…), for metrics and errors only: shared code never branches on it. */
  readonly kind: string;
  chat(call: ProviderCall): Promise<ChatResponse>;
  /**
   * Resolves once the upstream accepted the stream (status and headers checked), so that errors
   * before the first byte surface as a rejected promise and can fall back.
   */
  chatStream(call: ProviderCall): Promise<AsyncIterable<ChatChunk>>;
}

export interface ProviderSettings {
  /** Base URL, e.g. https://api.openai.com/v1 */
  baseUrl: string;
  apiKey?: string;
  headers?: Record<string, string>;
  /** Azure-style `api-version` query parameter, when set. */
  apiVersion?: string;
  /** Azure-style auth header (`api-key`) instead of Bearer. */
  authHeader?: 'bearer' | 'api-key' | 'x-api-key';
  /** Idle time allowed between two body chunks before the call is treated as stalled. */
  bodyTimeoutMs?: number;
  /** Max sockets per upstream origin. */
  connections?: number;
}

export type ProviderFactory = (settings: ProviderSettings) => ProviderAdapter;
