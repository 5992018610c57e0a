import { GatewayError, ProviderError } from '../errors/index.js';

interface FrameworkError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/**
 * Any error thrown while serving a request, as a GatewayError. Framework errors (bad JSON,
 * too large, wrong content type) get a clear client error; anything unknown is a 500 whose
 * message does not leak internals.
 */
export const toGatewayError = (err: unknown): GatewayError => {
  if (err instanceof GatewayError) return err;
  if (err instanceof ProviderError) return new GatewayError(err.code, err.message, { retryAfterMs: err.retryAfterMs, cause: err });
  const e = (err ?? {}) as FrameworkError;
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('body_too_large', 'request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GatewayError('unsupported_media_type', 'Content-Type must be application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError('invalid_json', 'request body is empty; expected a JSON object');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new GatewayError('invalid_json', `request body is not valid JSON: ${e.message ?? ''}`.trim());
    default:
      break;
  }
  if (err instanceof SyntaxError || (e.statusCode === 400 && /JSON/i.test(e.message ?? ''))) {
    return new GatewayError('invalid_json', `request body is not valid JSON: ${e.message ?? ''}`);
  }
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
    return new GatewayError('invalid_request', e.message ?? 'invalid request', { status: e.statusCode });
  }
  return new GatewayError('internal_error', 'internal error', { cause: err });
};
