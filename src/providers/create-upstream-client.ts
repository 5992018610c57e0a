import type { IncomingHttpHeaders } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import { onAbort, type CallSignal, type ProviderSettings } from '../spec/provider.js';
import { ProviderError } from '../errors/provider-error.js';
import { classifyHttpError, classifyTransportError } from './classify-upstream-error.js';
import { createSecretRedactor } from './redact-secrets.js';

export type UpstreamBody = Dispatcher.ResponseData['body'];

export interface UpstreamClient {
  /**
   * POSTs a pre-serialized JSON body and resolves with the parsed JSON answer. An error status
   * rejects with the classified ProviderError; garbage is upstream_invalid_response.
   */
  postJson(path: string, body: string, signal: CallSignal): Promise<unknown>;
  /**
   * POSTs a pre-serialized JSON body for a stream. Resolves once the status and content type were
   * checked: an error status rejects with the classified ProviderError (body read and released).
   */
  postStream(path: string, body: string, signal: CallSignal): Promise<UpstreamBody>;
  close(): Promise<void>;
}

const DEFAULT_CONNECTIONS = 256;
const DEFAULT_BODY_TIMEOUT_MS = 300_000;

const AUTH: Readonly<Record<NonNullable<ProviderSettings['authHeader']>, (key: string) => [string, string]>> = {
  bearer: (key) => ['authorization', `Bearer ${key}`],
  'api-key': (key) => ['api-key', key],
  'x-api-key': (key) => ['x-api-key', key],
};

const contentTypeOk = (contentType: string | string[] | undefined, expect: 'json' | 'sse'): boolean => {
  const ct = Array.isArray(contentType) ? contentType[0] : contentType;
  // A JSON answer without a content type is tolerated (and parsed); a stream must say it is one.
  if (ct === undefined) return expect === 'json';
  return expect === 'json' ? ct.includes('json') : ct.includes('text/event-stream');
};

/** The static headers of one upstream: content type, auth, the provider's defaults, then the configured ones. */
export const buildHeaders = (
  settings: ProviderSettings,
  defaultAuth: NonNullable<ProviderSettings['authHeader']>,
  defaults: Record<string, string> = {},
): Record<string, string> => {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...defaults };
  if (settings.apiKey !== undefined) {
    const [name, value] = AUTH[settings.authHeader ?? defaultAuth](settings.apiKey);
    headers[name] = value;
  }
  return { ...headers, ...settings.headers };
};

/**
 * One keep-alive connection pool per upstream origin (undici Pool), with the idle-body timeout
 * from settings so that a stalled stream fails instead of holding a socket forever.
 */
export const createUpstreamClient = (provider: string, settings: ProviderSettings, headers: Record<string, string>): UpstreamClient => {
  const origin = new URL(settings.baseUrl).origin;
  const pool = new Pool(origin, {
    connections: settings.connections ?? DEFAULT_CONNECTIONS,
    bodyTimeout: settings.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
  });

  const redact = createSecretRedactor(settings);
  const failure = (status: number, headers: IncomingHttpHeaders, text: string): ProviderError =>
    classifyHttpError(provider, status, headers, redact(text));
  const unexpected = (status: number, contentType: unknown): ProviderError =>
    new ProviderError('upstream_invalid_response', `${provider}: unexpected ${status} ${String(contentType)}`, { provider, upstreamStatus: status });

  const postStream: UpstreamClient['postStream'] = async (path, body, signal) => {
    let res: Dispatcher.ResponseData;
    try {
      res = await pool.request({ method: 'POST', path, headers, body, signal });
    } catch (err) {
      throw classifyTransportError(provider, err, signal, 'request');
    }
    if (res.statusCode >= 400) throw failure(res.statusCode, res.headers, await res.body.text().catch(() => ''));
    if (res.statusCode !== 200 || !contentTypeOk(res.headers['content-type'], 'sse')) {
      discardBody(res.body);
      throw unexpected(res.statusCode, res.headers['content-type']);
    }
    return res.body;
  };

  /**
   * A JSON answer is read whole, so it goes through undici's dispatch with a handler that only
   * collects the bytes: pool.request would wrap every answer in a Readable stream (its objects,
   * events and promise hand-offs), which cost the request path microseconds for nothing here.
   */
  const postJson: UpstreamClient['postJson'] = (path, body, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(classifyTransportError(provider, signal.reason, signal, 'request'));
      let status = 0;
      let responseHeaders: IncomingHttpHeaders = {};
      let chunks: Buffer[] = [];
      let controller: Dispatcher.DispatchController | undefined;
      let done = false;
      // The abort is answered at once, even while the request still waits in the pool's queue for
      // a connection (undici starts a queued request's handler only once it has one).
      const detach = onAbort(signal, () => {
        finish();
        controller?.abort(signal.reason as Error);
        reject(classifyTransportError(provider, signal.reason, signal, 'request'));
      });
      const finish = (): boolean => {
        if (done) return false;
        done = true;
        detach();
        return true;
      };
      pool.dispatch({ method: 'POST', path, headers, body }, {
        onRequestStart(c) {
          controller = c;
          if (done) c.abort(signal.reason as Error);
        },
        onResponseStart(_c, statusCode, h) {
          status = statusCode;
          responseHeaders = h;
          chunks = [];
        },
        onResponseData(_c, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          if (!finish()) return;
          const text = (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString('utf8');
          if (status >= 400) return reject(failure(status, responseHeaders, text));
          if (status !== 200 || !contentTypeOk(responseHeaders['content-type'], 'json')) return reject(unexpected(status, responseHeaders['content-type']));
          try {
            resolve(JSON.parse(text) as unknown);
          } catch (err) {
            reject(new ProviderError('upstream_invalid_response', `${provider}: response body is not JSON`, { provider, upstreamStatus: 200, cause: err }));
          }
        },
        onResponseError(_c, err) {
          if (finish()) reject(classifyTransportError(provider, err, signal, 'request'));
        },
      });
    });

  return { postJson, postStream, close: () => pool.close() };
};


const ignore = (): void => {};

/**
 * Drops a body we will not read. undici reports destroying an unread body as an 'error' event
 * (RequestAbortedError); with no listener that would crash the process, so one is attached.
 */
export const discardBody = (body: UpstreamBody): void => {
  body.on('error', ignore);
  body.destroy();
};

/** `https://host/v1/` → `/v1` (the path prefix every request path is appended to). */
export const basePath = (baseUrl: string): string => new URL(baseUrl).pathname.replace(/\/+$/, '');
