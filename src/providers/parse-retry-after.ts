import type { IncomingHttpHeaders } from 'node:http';

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Milliseconds the upstream asked us to wait, or undefined. `retry-after-ms` (OpenAI, Anthropic)
 * is more precise than `retry-after`, which is either delay-seconds or an HTTP date (RFC 9110).
 * A date in the past means "now" (0). Clamping to a sane maximum is the retry policy's call, not ours.
 */
export const parseRetryAfter = (headers: IncomingHttpHeaders, nowMs: number = Date.now()): number | undefined => {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '') {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return Math.round(n);
  }
  const raw = header(headers, 'retry-after')?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
};
