import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import type { SpendQuery, SpendRow } from '../../spec/ledger.js';
import { microUsdToUsdString } from '../../ledger/compute-cost.js';
import { formatSpendTable } from '../../ledger/format-spend-table.js';
import { parseSpendQuery } from '../../ledger/spend-query.js';
import { createSqliteLedgerStore } from '../../ledger/sqlite-ledger-store.js';

export interface SpendCommandIo {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  fetch: typeof fetch;
}

const defaultIo: SpendCommandIo = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  env: process.env,
  fetch: (...args) => fetch(...args),
};

interface SpendOptions {
  db?: string;
  url?: string;
  adminKey?: string;
  groupBy: string;
  from?: string;
  to?: string;
  tenant?: string;
  json?: boolean;
}

/** The admin API answers `{ data: SpendRow[] }`; validate rather than trust a remote body. */
const remoteSpendSchema = z.object({
  data: z.array(z.object({
    group: z.record(z.string(), z.string()),
    requests: z.number(), attempts: z.number(), inputTokens: z.number(), outputTokens: z.number(),
    cachedInputTokens: z.number(), reasoningTokens: z.number(), costMicroUsd: z.number(),
  })),
});

const queryParams = (opts: SpendOptions): Record<string, string> => {
  const params: Record<string, string> = { group_by: opts.groupBy };
  if (opts.from !== undefined) params['from'] = opts.from;
  if (opts.to !== undefined) params['to'] = opts.to;
  if (opts.tenant !== undefined) params['tenant'] = opts.tenant;
  return params;
};

const fetchRemote = async (opts: SpendOptions & { url: string }, io: SpendCommandIo): Promise<SpendRow[]> => {
  const url = new URL('/admin/spend', opts.url);
  url.search = new URLSearchParams(queryParams(opts)).toString();
  const key = opts.adminKey ?? io.env['SWITCHYARD_ADMIN_KEY'];
  const res = await io.fetch(url, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const message = (body as { error?: { message?: string } } | null)?.error?.message ?? res.statusText;
    throw new Error(`${url.origin}/admin/spend answered ${res.status}: ${message}`);
  }
  return remoteSpendSchema.parse(body).data;
};

const readLocal = async (opts: SpendOptions, query: SpendQuery, io: SpendCommandIo): Promise<SpendRow[]> => {
  const path = opts.db ?? io.env['SWITCHYARD_DB'] ?? './switchyard.db';
  if (path !== ':memory:' && !existsSync(path)) throw new Error(`no ledger at ${path} (use --db PATH or set SWITCHYARD_DB)`);
  // Read-only: a report never creates, migrates or locks the gateway's database.
  const store = createSqliteLedgerStore(path, { readonly: true });
  try {
    return await store.spend(query);
  } finally {
    await store.close();
  }
};

export const runSpend = async (opts: SpendOptions, io: SpendCommandIo): Promise<void> => {
  const query = parseSpendQuery(queryParams(opts));
  const rows = opts.url !== undefined ? await fetchRemote({ ...opts, url: opts.url }, io) : await readLocal(opts, query, io);
  if (opts.json) {
    io.out(JSON.stringify(rows.map((r) => ({ ...r, costUsd: microUsdToUsdString(r.costMicroUsd) })), null, 2));
    return;
  }
  io.out(formatSpendTable(rows, query.groupBy));
};

/** `switchyard spend`: a spend report from the SQLite ledger file, or from a running gateway. */
export const registerSpendCommand = (program: Command, io: SpendCommandIo = defaultIo): void => {
  program
    .command('spend')
    .description('report spend from the ledger, grouped (reads the SQLite file directly, or a gateway with --url)')
    .option('--db <path>', 'SQLite ledger file (default: $SWITCHYARD_DB or ./switchyard.db)')
    .option('--url <url>', "a running gateway's base URL: query its /admin/spend instead of a file")
    .option('--admin-key <key>', 'admin key for --url (default: $SWITCHYARD_ADMIN_KEY)')
    .option('--group-by <keys>', 'comma list: tenant, model, route, target, provider, api_key, day, outcome, tag:NAME', 'tenant,model')
    .option('--from <time>', 'start, inclusive: ISO-8601 date/date-time (UTC if no zone) or epoch ms')
    .option('--to <time>', 'end, exclusive: ISO-8601 date/date-time or epoch ms')
    .option('--tenant <tenant>', 'only this tenant')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: SpendOptions) => {
      try {
        await runSpend(opts, io);
      } catch (err) {
        // Query errors already name their parameter (`group_by: unknown key 'colour'`).
        io.err(`switchyard spend: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 1;
      }
    });
};
