/**
 * Scale-out: 1, 2 and 4 gateway processes sharing one Redis (rate limits, budgets, breakers,
 * statistics) and one Postgres ledger, against the zero-latency mock upstream of bench/overhead.
 * autocannon spreads its connections round-robin over the replicas' ports (it takes several URLs),
 * so one latency histogram covers the whole fleet. Every request passes a per-key rate limit and a
 * tenant budget (one Lua round trip to Redis, one settle after), and writes a ledger row.
 *
 *   npm run build && BENCH_SECONDS=10 node dist/bench/scale/run.js
 *
 * Env: BENCH_SECONDS (10), BENCH_CONNECTIONS (32), BENCH_REPLICAS (1,2,4).
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestSchema, type TestSchema } from '../../test/helpers/postgres-service.js';
import { deleteKeys, redisUrl, testKeyPrefix } from '../../test/helpers/redis-service.js';
import { freePort, spawnReplicas, type Replica } from '../../test/helpers/spawn-replicas.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const REPLICAS = (process.env['BENCH_REPLICAS'] ?? '1,2,4').split(',').map(Number);
const KEY = 'sk-bench-0123456789abcdef';
const BODY = JSON.stringify({ model: 'auto', max_tokens: 16, messages: [{ role: 'user', content: 'Say hello in one word.' }] });
const MODELS = ['gpt-3.5-turbo-1106', 'claude-instant-v1', 'gpt-4-1106-preview'];

type Mode = 'shared' | 'embedded';

const configFor = (mode: Mode, mockUrl: string, ledgerUrl: string, keyPrefix: string) => ({
  logging: { level: 'warn' },
  ledger: mode === 'shared' ? { driver: 'postgres', url: ledgerUrl } : { driver: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'sy-scale-')), 'ledger.db') },
  state: mode === 'shared' ? { driver: 'redis', url: redisUrl, keyPrefix } : { driver: 'memory' },
  providers: { mock: { kind: 'openai', baseUrl: `${mockUrl}/v1`, connections: 128 } },
  models: MODELS.map((id, i) => ({ id, provider: 'mock', prices: { input: [1, 0.8, 10][i], output: [2, 2.4, 30][i] }, contextWindow: 16_385 })),
  routes: [{ name: 'auto', targets: MODELS, policy: { type: 'fixed' } }],
  // Limits and a budget far above the load: every request is checked and settled, none refused.
  tenants: [{ id: 'bench', keys: [{ id: 'bench-1', key: KEY, limits: { rpm: 100_000_000, tpm: 1_000_000_000 } }], budget: { usd: 1_000_000, period: 'day' } }],
});

interface Row {
  label: string; replicas: number; rps: number; p50: number; p99: number; errors: number; ok: number; rows: number | null; load: number;
  /** CPU ms per request: the gateway processes (summed), the load generator, Redis's Lua scripts. */
  cpu: { gateway: number; loadgen: number; redis: number };
}

/** CPU time (user + system) of a process so far, in ms (/proc, clock ticks of 10 ms). */
const cpuMsOf = (pid: number | undefined): number => {
  if (pid === undefined) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

const totalCpuMs = (pids: ReadonlyArray<number | undefined>): number => pids.reduce<number>((sum, pid) => sum + cpuMsOf(pid), 0);

/** µs Redis spent in EVALSHA so far (all clients: others using scripts on this Redis would count too). */
const redisScriptUs = async (): Promise<number> => {
  const r = new Redis(redisUrl, { maxRetriesPerRequest: 0 });
  try {
    const info = await r.info('commandstats');
    return Number(/cmdstat_evalsha:calls=\d+,usec=(\d+)/.exec(info)?.[1] ?? 0);
  } finally {
    r.disconnect();
  }
};

const fire = async (urls: string[], seconds: number, auth: boolean): Promise<autocannon.Result> =>
  autocannon({
    url: urls as unknown as string, // autocannon spreads connections over several URLs (its typings say one)
    method: 'POST', connections: CONNECTIONS, duration: seconds, body: BODY,
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${KEY}` } : {}) },
  });

const measure = async (label: string, urls: string[], auth: boolean, pids: Array<number | undefined>): Promise<Omit<Row, 'rows'> & { warmOk: number }> => {
  // The machine may be shared: the load average before each row says how much CPU was really ours.
  const load = loadavg()[0] ?? NaN;
  const warm = await fire(urls, Math.min(2, SECONDS), auth);
  const before = { gw: totalCpuMs(pids), me: process.cpuUsage(), redis: await redisScriptUs() };
  const r = await fire(urls, SECONDS, auth);
  const me = process.cpuUsage(before.me);
  const n = Math.max(1, r['2xx'] + r.non2xx);
  const cpu = {
    gateway: (totalCpuMs(pids) - before.gw) / n,
    loadgen: (me.user + me.system) / 1000 / n,
    redis: ((await redisScriptUs()) - before.redis) / 1000 / n,
  };
  process.stderr.write(`${label}: ${r.requests.average.toFixed(0)} req/s, p99 ${r.latency.p99} ms, ${r.errors + r.non2xx} errors\n`);
  return { label, replicas: urls.length, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, ok: r['2xx'], warmOk: warm['2xx'], load, cpu };
};

const runFleet = async (mode: Mode, n: number, mockUrl: string): Promise<Row> => {
  const schema: TestSchema | undefined = mode === 'shared' ? await createTestSchema() : undefined;
  const prefix = testKeyPrefix();
  let replicas: Replica[] = [];
  try {
    replicas = await spawnReplicas(n, configFor(mode, mockUrl, schema?.url ?? '', prefix));
    const label = mode === 'shared' ? `${n} × switchyard, Redis + Postgres` : `${n} × switchyard, memory + SQLite`;
    const m = await measure(label, replicas.map((r) => `${r.url}/v1/chat/completions`), true, replicas.map((r) => r.child.pid));
    await Promise.all(replicas.map((r) => r.stop('SIGTERM')));
    // After a clean stop every answered request must be in the ledger (warm-up included).
    const rows = schema ? Number((await schema.query<{ n: string }>('SELECT count(*) AS n FROM $schema.ledger'))[0]?.n) - m.warmOk : null;
    return { ...m, rows };
  } finally {
    await Promise.all(replicas.map((r) => r.stop('SIGKILL')));
    await schema?.drop();
    await deleteKeys(prefix);
  }
};

const main = async (): Promise<void> => {
  const mockPort = await freePort();
  const mockUrl = `http://127.0.0.1:${mockPort}`;
  const mock: ChildProcess = spawn(process.execPath, ['dist/bench/overhead/mock-upstream.js', String(mockPort)], { cwd: ROOT, stdio: 'ignore' });
  try {
    for (let i = 0; i < 100 && !(await fetch(`${mockUrl}/v1/models`).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 50));
    const direct = await measure('direct to mock', [`${mockUrl}/v1/chat/completions`], false, [mock.pid]);
    const rows: Row[] = [{ ...direct, replicas: 0, rows: null }];
    rows[0]!.label = 'direct to mock (gateway column: the mock)';
    rows.push(await runFleet('embedded', 1, mockUrl));
    for (const n of REPLICAS) rows.push(await runFleet('shared', n, mockUrl));
    printTable(rows, direct);
  } finally {
    mock.kill('SIGTERM');
  }
};

const printTable = (rows: Row[], direct: { p50: number; p99: number }): void => {
  const base = rows.find((r) => r.label.startsWith('1 × switchyard, Redis'))?.rps ?? NaN;
  console.log(`\nScale-out: ${SECONDS}s per row, ${CONNECTIONS} connections spread over the replicas, zero-latency mock upstream, ${new Date().toISOString().slice(0, 10)}\n`);
  console.log('| setup | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms | errors | ledger rows / 2xx | req/s vs 1 replica | CPU ms/req: gateways | load generator | Redis scripts | load avg |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const added = r.replicas === 0 ? ['—', '—'] : [String(r.p50 - direct.p50), String(r.p99 - direct.p99)];
    const ledger = r.rows === null ? '—' : `${r.rows} / ${r.ok}`;
    const ratio = r.label.includes('Redis') ? `${(r.rps / base).toFixed(2)}×` : '—';
    console.log(`| ${r.label} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${added[0]} | ${added[1]} | ${r.errors} | ${ledger} | ${ratio} | ${r.cpu.gateway.toFixed(2)} | ${r.cpu.loadgen.toFixed(2)} | ${r.cpu.redis.toFixed(3)} | ${r.load.toFixed(1)} |`);
  }
};

await main();
