import type { FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';
import { GatewayError } from '../errors/index.js';

const encodingOf = (h: string | string[] | undefined): string | undefined => {
  const v = (Array.isArray(h) ? h.join(', ') : h)?.trim().toLowerCase();
  return v && v !== 'identity' ? v : undefined;
};

/**
 * The JSON body parser, in place of Fastify's own, for the errors: Fastify answers every failure
 * with one generic sentence, while a client needs to know where its JSON breaks (the parser's
 * position), that a `__proto__` / `constructor.prototype` key is refused on purpose (prototype
 * poisoning) rather than malformed, and that a compressed body is not decoded. The parsing is
 * the same secure-json-parse Fastify uses.
 */
export const parseJsonBody = (req: FastifyRequest, body: string, done: (err: Error | null, value?: unknown) => void): void => {
  if (body === '') return done(new GatewayError('invalid_json', 'request body is empty; expected a JSON object'));
  let value: unknown;
  try {
    value = sjson.parse(body, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    const encoding = encodingOf(req.headers['content-encoding']);
    if (encoding) return done(new GatewayError('unsupported_media_type', `Content-Encoding ${encoding} is not supported: send the JSON body uncompressed`));
    const message = (err as Error).message;
    if (!(err instanceof SyntaxError) || /forbidden prototype property|constructor property/i.test(message)) {
      return done(new GatewayError('invalid_json', 'request body has a "__proto__" or "constructor.prototype" key, which is refused (prototype poisoning)'));
    }
    return done(new GatewayError('invalid_json', `request body is not valid JSON: ${message}`));
  }
  done(null, value);
};
