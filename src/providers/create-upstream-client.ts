import { Pool, type Dispatcher } from 'undici';
import type { CallSignal, ProviderSettings } from '../spec/provider.js';
import { ProviderError } from '../errors/provider-error.js';
import { classifyHttpError, classifyTransportError } from './classify-upstream-error.js';
import { createSecretRedactor } from './redact-secrets.js';

export type UpstreamBody = Dispatcher.ResponseData['body'];

export interface UpstreamClient {
  /**
   * POSTs a pre-serialized JSON body. Resolves once the status and content type were checked:
   * an error status rejects with the classified ProviderError (body read and released).
   */
  post(path: string, body: string, signal: CallSignal, expect: 'json' | 'sse'): Promise<UpstreamBody>;
  /** Reads and parses a JSON body; garbage is upstream_invalid_response. */
  readJson(body: UpstreamBody, signal: CallSignal): Promise<unknown>;
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
  const failure = async (res: Dispatcher.ResponseData): Promise<ProviderError> => {
    const text = redact(await res.body.text().catch(() => ''));
    return classifyHttpError(provider, res.statusCode, res.headers, text);
  };

  const post: UpstreamClient['post'] = async (path, body, signal, expect) => {
    let res: Dispatcher.ResponseData;
    try {
      res = await pool.request({ method: 'POST', path, headers, body, signal });
    } catch (err) {
      throw classifyTransportError(provider, err, signal, 'request');
    }
    if (res.statusCode >= 400) throw await failure(res);
    if (res.statusCode !== 200 || !contentTypeOk(res.headers['content-type'], expect)) {
      discardBody(res.body);
      throw new ProviderError('upstream_invalid_response', `${provider}: unexpected ${res.statusCode} ${String(res.headers['content-type'])}`, {
        provider,
        upstreamStatus: res.statusCode,
      });
    }
    return res.body;
  };

  const readJson: UpstreamClient['readJson'] = async (body, signal) => {
    let text: string;
    try {
      text = await body.text();
    } catch (err) {
      throw classifyTransportError(provider, err, signal, 'request');
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new ProviderError('upstream_invalid_response', `${provider}: response body is not JSON`, { provider, upstreamStatus: 200, cause: err });
    }
  };

  return { post, readJson, close: () => pool.close() };
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
