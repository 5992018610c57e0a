import type { SpendGroupKey } from '../spec/ledger.js';
import { GatewayError } from '../errors/index.js';

/**
 * Tag names that may be grouped by. Strict on purpose: the name ends up inside a JSON path
 * (bound as a parameter, never interpolated), and a narrow alphabet keeps `tag:a.b` or quotes
 * from meaning something different to SQLite's json_extract and Postgres' `->>`.
 */
export const TAG_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/;

/** Plain ledger columns a spend report can group by (wire name → column). */
export const GROUP_COLUMNS = {
  tenant: 'tenant',
  model: 'model',
  route: 'route',
  target: 'target',
  provider: 'provider',
  api_key: 'api_key_id',
  outcome: 'outcome',
} as const;

export type ParsedGroupKey =
  | { key: SpendGroupKey; kind: 'column'; column: (typeof GROUP_COLUMNS)[keyof typeof GROUP_COLUMNS] }
  | { key: SpendGroupKey; kind: 'day' }
  | { key: SpendGroupKey; kind: 'tag'; tag: string };

export const SPEND_GROUP_KEYS_HELP = `${[...Object.keys(GROUP_COLUMNS), 'day'].join(', ')} or tag:NAME`;

const isColumnKey = (key: string): key is keyof typeof GROUP_COLUMNS => Object.hasOwn(GROUP_COLUMNS, key);

/** Validates one group key; throws a 400 naming `group_by` for anything else. */
export const parseGroupKey = (key: string): ParsedGroupKey => {
  if (isColumnKey(key)) return { key, kind: 'column', column: GROUP_COLUMNS[key] };
  if (key === 'day') return { key, kind: 'day' };
  if (key.startsWith('tag:')) {
    const tag = key.slice(4);
    if (TAG_NAME_PATTERN.test(tag)) return { key: `tag:${tag}`, kind: 'tag', tag };
    throw new GatewayError('invalid_request', `group_by: tag name '${tag}' must match ${TAG_NAME_PATTERN.source}`, { param: 'group_by' });
  }
  throw new GatewayError('invalid_request', `group_by: unknown key '${key}' (expected ${SPEND_GROUP_KEYS_HELP})`, { param: 'group_by' });
};

/** Parses and de-duplicates a list of group keys, keeping their order. */
export const parseGroupKeys = (keys: readonly string[]): ParsedGroupKey[] => {
  const seen = new Set<string>();
  const out: ParsedGroupKey[] = [];
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(parseGroupKey(key));
  }
  return out;
};
