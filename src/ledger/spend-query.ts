import { z } from 'zod';
import type { SpendGroupKey, SpendQuery } from '../spec/ledger.js';
import { GatewayError } from '../errors/index.js';
import { parseGroupKeys, SPEND_GROUP_KEYS_HELP } from './spend-group-key.js';

const MAX_GROUP_KEYS = 8;
const EPOCH_MS = /^\d{1,15}$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * `2025-03-01` (UTC midnight), `2025-03-01T12:00:00Z`, `…+02:00`, or epoch milliseconds. A
 * date-time without a zone is read as UTC, not as the server's local time, so the same URL means
 * the same window on every replica. Returns null for anything else, including impossible dates
 * (`2025-02-30`, which Date.parse would quietly turn into March 2).
 */
export const parseTimeParam = (raw: string): number | null => {
  const s = raw.trim();
  if (EPOCH_MS.test(s)) return Number(s);
  const m = ISO.exec(s);
  if (!m) return null;
  const [, y, mo, d, hh, mm, ss, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  if (Number(hh ?? 0) > 23 || Number(mm ?? 0) > 59 || Number(ss ?? 0) > 59) return null;
  const ms = Date.parse(hh === undefined ? `${y}-${mo}-${d}T00:00:00Z` : `${s.replace(' ', 'T')}${zone === undefined ? 'Z' : ''}`);
  return Number.isFinite(ms) ? ms : null;
};

const timeParam = (name: 'from' | 'to') =>
  z.string().transform((raw, ctx) => {
    const ms = parseTimeParam(raw);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `${name}: expected an ISO-8601 date or date-time (2025-03-01, 2025-03-01T12:00:00Z) or epoch milliseconds, got '${raw}'` });
      return z.NEVER;
    }
    return ms;
  });

const groupByParam = z
  .union([z.string(), z.array(z.string())])
  .transform((raw, ctx): SpendGroupKey[] => {
    const keys = (Array.isArray(raw) ? raw : [raw]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
    if (keys.length > MAX_GROUP_KEYS) {
      ctx.addIssue({ code: 'custom', message: `group_by: at most ${MAX_GROUP_KEYS} keys, got ${keys.length}` });
      return z.NEVER;
    }
    try {
      return parseGroupKeys(keys).map((g) => g.key);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : `group_by: expected ${SPEND_GROUP_KEYS_HELP}` });
      return z.NEVER;
    }
  });

/**
 * The admin spend API's query string (and the CLI's flags): `group_by=tenant,model,tag:product`
 * (repeatable), `from` inclusive, `to` exclusive, optional `tenant`. Unknown parameters are an
 * error, so a typo like `groupby=` fails loudly instead of silently returning the grand total.
 */
export const spendQuerySchema = z
  .strictObject({
    group_by: groupByParam.optional(),
    from: timeParam('from').optional(),
    to: timeParam('to').optional(),
    tenant: z.string().min(1, 'tenant: must not be empty').max(256, 'tenant: at most 256 characters').optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'to: must be later than from', path: ['to'] })
  .transform((q): SpendQuery => ({
    groupBy: q.group_by ?? [],
    ...(q.from !== undefined ? { from: q.from } : {}),
    ...(q.to !== undefined ? { to: q.to } : {}),
    ...(q.tenant !== undefined ? { tenant: q.tenant } : {}),
  }));

export type SpendQueryParams = z.input<typeof spendQuerySchema>;

/** Parses a query-string object into a SpendQuery; a bad parameter is a 400 that names it. */
export const parseSpendQuery = (query: unknown): SpendQuery => {
  const result = spendQuerySchema.safeParse(query ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const keys = issue.keys.join(', ');
    throw new GatewayError('invalid_request', `unknown spend parameter${issue.keys.length > 1 ? 's' : ''}: ${keys} (expected group_by, from, to, tenant)`, { param: issue.keys[0] });
  }
  const param = typeof issue?.path[0] === 'string' ? issue.path[0] : undefined;
  const message = issue?.message ?? 'invalid spend query';
  // Zod's own messages (wrong type) do not say which parameter; ours already start with its name.
  const named = param !== undefined && !message.startsWith(`${param}:`) ? `${param}: ${message}` : message;
  throw new GatewayError('invalid_request', named, param === undefined ? {} : { param });
};
