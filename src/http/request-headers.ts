import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../errors/index.js';

const TAG_PART = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_TAGS = 16;

const single = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** `x-switchyard-tags: product=search,feature=summary` → {product: 'search', feature: 'summary'}. */
export const parseTags = (headers: IncomingHttpHeaders): Record<string, string> => {
  const raw = single(headers, 'x-switchyard-tags');
  const tags: Record<string, string> = {};
  if (raw === undefined || raw.trim() === '') return tags;
  const pairs = raw.split(',');
  if (pairs.length > MAX_TAGS) throw new GatewayError('invalid_request', `x-switchyard-tags: at most ${MAX_TAGS} tags`, { param: 'x-switchyard-tags' });
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (eq < 0 || !TAG_PART.test(key) || !TAG_PART.test(value)) {
      throw new GatewayError('invalid_request', `x-switchyard-tags: '${pair.trim().slice(0, 80)}' is not key=value with letters, digits, '_', '.', '-' (max 64 each)`, { param: 'x-switchyard-tags' });
    }
    tags[key] = value;
  }
  return tags;
};

const DECIMAL = /^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const number = (headers: IncomingHttpHeaders, name: string, check: (n: number) => boolean, expected: string): number | undefined => {
  const raw = single(headers, name);
  if (raw === undefined || raw.trim() === '') return undefined;
  // Plain decimals only: Number() would also take '0x1', '1e400' (Infinity) and '0b1'.
  const n = DECIMAL.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(n) || !check(n)) throw new GatewayError('invalid_request', `${name}: expected ${expected}, got '${raw.slice(0, 40)}'`, { param: name });
  return n;
};

export interface EnvelopeOverrides {
  qualityFloor?: number;
  latencySloMs?: number;
  maxCostMicroUsd?: number;
  requestedModel?: string;
}

const MODEL_ID = /^[\w.:/@-]{1,200}$/;

/** Per-request envelope overrides, validated like any other input. */
export const parseEnvelope = (headers: IncomingHttpHeaders): EnvelopeOverrides => {
  const out: EnvelopeOverrides = {};
  const floor = number(headers, 'x-switchyard-quality-floor', (n) => n >= 0 && n <= 1, 'a number between 0 and 1');
  const slo = number(headers, 'x-switchyard-latency-slo-ms', (n) => n > 0 && n <= 3_600_000, 'a positive number of milliseconds');
  const maxCost = number(headers, 'x-switchyard-max-cost-usd', (n) => n > 0 && n <= 1_000_000, 'a positive amount in USD');
  if (floor !== undefined) out.qualityFloor = floor;
  if (slo !== undefined) out.latencySloMs = slo;
  if (maxCost !== undefined) out.maxCostMicroUsd = Math.round(maxCost * 1_000_000);
  // A model the client prefers within a route; the route's policy decides whether to honour it.
  const requested = single(headers, 'x-switchyard-model');
  if (requested !== undefined && requested !== '') {
    if (!MODEL_ID.test(requested)) throw new GatewayError('invalid_request', 'x-switchyard-model: not a valid model id', { param: 'x-switchyard-model' });
    out.requestedModel = requested;
  }
  return out;
};

const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** The client's x-request-id when it is sane, else a fresh one. */
export const requestIdFrom = (headers: IncomingHttpHeaders, fresh: () => string): string => {
  const raw = single(headers, 'x-request-id');
  return raw !== undefined && REQUEST_ID.test(raw) ? raw : fresh();
};

/** The API key from `Authorization: Bearer …` (OpenAI SDK) or `x-api-key` (Anthropic SDK). */
export const apiKeyFrom = (headers: IncomingHttpHeaders): string | undefined => {
  const auth = single(headers, 'authorization');
  if (auth !== undefined) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m?.[1]) return m[1];
  }
  return single(headers, 'x-api-key');
};
