import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { toOpenAIErrorBody } from '../errors/openai-error-body.js';
import type { ErrorCode } from '../errors/index.js';

/**
 * Requests Node's HTTP parser refuses before any route runs (headers over the size limit,
 * malformed request lines, header timeouts) still get an OpenAI-shaped error body, like every
 * other failure, instead of Fastify's own shape.
 */
export const clientErrorHandler = (err: Error & { code?: string }, socket: Socket): void => {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message]: [number, ErrorCode, string] =
    err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'headers_too_large', 'request headers exceed the size limit (16 KB)']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'request_timeout', 'the request was not received in time']
        : [400, 'invalid_request', 'malformed HTTP request'];
  const body = JSON.stringify(toOpenAIErrorBody(code, message));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
};
