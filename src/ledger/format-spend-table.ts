import type { SpendRow } from '../spec/ledger.js';
import { microUsdToUsdString } from './compute-cost.js';

const NUMBER_COLUMNS = [
  ['requests', (r: SpendRow) => r.requests],
  ['attempts', (r: SpendRow) => r.attempts],
  ['input_tokens', (r: SpendRow) => r.inputTokens],
  ['output_tokens', (r: SpendRow) => r.outputTokens],
  ['cached_tokens', (r: SpendRow) => r.cachedInputTokens],
  ['reasoning_tokens', (r: SpendRow) => r.reasoningTokens],
] as const;

const sumRows = (rows: readonly SpendRow[]): SpendRow => ({
  group: {},
  requests: rows.reduce((s, r) => s + r.requests, 0),
  attempts: rows.reduce((s, r) => s + r.attempts, 0),
  inputTokens: rows.reduce((s, r) => s + r.inputTokens, 0),
  outputTokens: rows.reduce((s, r) => s + r.outputTokens, 0),
  cachedInputTokens: rows.reduce((s, r) => s + r.cachedInputTokens, 0),
  reasoningTokens: rows.reduce((s, r) => s + r.reasoningTokens, 0),
  costMicroUsd: rows.reduce((s, r) => s + r.costMicroUsd, 0),
});

/**
 * A plain aligned table: group columns left-aligned, numbers right-aligned, cost in USD with six
 * decimals (exact, from integer micro-USD), a total line when there is more than one row. An empty
 * group value (a row without that tag) shows as `-`.
 */
export const formatSpendTable = (rows: readonly SpendRow[], groupBy: readonly string[]): string => {
  if (rows.length === 0) return 'no spend in this window';
  const header = [...groupBy, ...NUMBER_COLUMNS.map(([name]) => name), 'cost_usd'];
  const toCells = (r: SpendRow, label?: string): string[] => [
    ...groupBy.map((k, i) => (label !== undefined ? (i === 0 ? label : '') : r.group[k] || '-')),
    ...NUMBER_COLUMNS.map(([, get]) => String(get(r))),
    microUsdToUsdString(r.costMicroUsd),
  ];
  const body = rows.map((r) => toCells(r));
  const total = rows.length > 1 ? [toCells(sumRows(rows), groupBy.length > 0 ? 'TOTAL' : undefined)] : [];
  const all = [header, ...body, ...total];
  const widths = header.map((_, c) => Math.max(...all.map((cells) => (cells[c] ?? '').length)));
  const isNumber = (c: number): boolean => c >= groupBy.length;
  const line = (cells: readonly string[]): string =>
    cells.map((cell, c) => (isNumber(c) ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...body.map(line), ...(total.length > 0 ? [rule, ...total.map(line)] : [])].join('\n');
};
