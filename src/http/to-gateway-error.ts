import { GatewayError, ProviderError } from '../errors/index.js';

interface FrameworkError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/** What the error handler knows of the server's limits, for errors about the body as sent. */
export interface BodyContext {
  bodyLimitBytes?: number;
}

/**
 * Any error thrown while serving a request, as a GatewayError. Framework errors (too large,
 * wrong content type) get a clear client error (bad JSON has its own, from parse-json-body.ts); anything unknown is a 500 whose
 * message does not leak internals.
 */
export const toGatewayError = (err: unknown, body: BodyContext = {}): GatewayError => {
  if (err instanceof GatewayError) return err;
  if (err instanceof ProviderError) return new GatewayError(err.code, err.message, { retryAfterMs: err.retryAfterMs, cause: err });
  const e = (err ?? {}) as FrameworkError;
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('body_too_large', body.bodyLimitBytes === undefined
        ? 'request body is too large'
        : `request body is too large: the limit is ${body.bodyLimitBytes} bytes (server.bodyLimitBytes)`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GatewayError('unsupported_media_type', 'Content-Type must be application/json');
    default:
      break;
  }
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
    return new GatewayError('invalid_request', e.message ?? 'invalid request', { status: e.statusCode });
  }
  return new GatewayError('internal_error', 'internal error', { cause: err });
};
