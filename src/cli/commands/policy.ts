import type { Command } from 'commander';
import { z } from 'zod';

export interface PolicyCommandIo {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  fetch: typeof fetch;
}

const defaultIo: PolicyCommandIo = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  env: process.env,
  fetch: (...args) => fetch(...args),
};

interface Connection { url?: string; adminKey?: string }

const versionSchema = z.object({
  id: z.string(), route: z.string(), tenant: z.string(), kind: z.string(), created: z.number(), parent: z.string().nullable(), status: z.string(),
});
const listSchema = z.object({ data: z.array(versionSchema) });
type Version = z.infer<typeof versionSchema>;

/**
 * Talks to a running gateway's admin API: the versions live in its database, but promoting or rolling
 * back must also change the state the running policy decides with, which only the gateway can do.
 */
const admin = async (io: PolicyCommandIo, conn: Connection, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
  const base = conn.url ?? io.env['SWITCHYARD_URL'] ?? 'http://127.0.0.1:8080';
  const url = new URL(path, base);
  const key = conn.adminKey ?? io.env['SWITCHYARD_ADMIN_KEY'];
  const res = await io.fetch(url, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const parsed: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const message = (parsed as { error?: { message?: string } } | null)?.error?.message ?? res.statusText;
    throw new Error(`${method} ${url.pathname} answered ${res.status}: ${message}`);
  }
  return parsed;
};

const row = (v: Version): string =>
  [v.id, v.route, v.tenant, v.kind, v.status.padEnd(9), new Date(v.created).toISOString(), v.parent ?? '-'].join('  ');

const run = (io: PolicyCommandIo, fn: () => Promise<void>) => async (): Promise<void> => {
  try {
    await fn();
  } catch (err) {
    io.err(`switchyard policy: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
};

/** `switchyard policy list|snapshot|promote|rollback` against a running gateway. */
export const registerPolicyCommand = (program: Command, io: PolicyCommandIo = defaultIo): void => {
  const policy = program.command('policy').description('learning policy versions of a running gateway (list, snapshot, promote, rollback)');
  const connection = (c: Command): Command => c
    .option('--url <url>', 'gateway base URL (default: $SWITCHYARD_URL or http://127.0.0.1:8080)')
    .option('--admin-key <key>', 'admin key (default: $SWITCHYARD_ADMIN_KEY)');
  const show = (v: unknown): void => io.out(row(versionSchema.parse(v)));
  connection(policy.command('list').description('versions, newest first').option('--route <route>', 'only this route').option('--json', 'print JSON'))
    .action((opts: Connection & { route?: string; json?: boolean }) => run(io, async () => {
      const { data } = listSchema.parse(await admin(io, opts, 'GET', `/admin/policies${opts.route ? `?route=${encodeURIComponent(opts.route)}` : ''}`));
      io.out(opts.json ? JSON.stringify(data, null, 2) : ['id  route  tenant  kind  status  created  parent', ...data.map(row)].join('\n'));
    })());
  connection(policy.command('snapshot').description('snapshot the live state of a route and make it the active version').requiredOption('--route <route>', 'route'))
    .action((opts: Connection & { route: string }) => run(io, async () => show(await admin(io, opts, 'POST', '/admin/policies/snapshot', { route: opts.route })))());
  connection(policy.command('promote').description('make a stored version active (its state is restored)').argument('<id>', 'version id'))
    .action((id: string, opts: Connection) => run(io, async () => show(await admin(io, opts, 'POST', `/admin/policies/${encodeURIComponent(id)}/promote`, {})))());
  connection(policy.command('rollback').description("make the active version's parent active again").requiredOption('--route <route>', 'route'))
    .action((opts: Connection & { route: string }) => run(io, async () => show(await admin(io, opts, 'POST', '/admin/policies/rollback', { route: opts.route })))());
};
