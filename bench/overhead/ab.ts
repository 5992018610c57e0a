/**
 * A/B of two gateway builds or configs, interleaved round by round (A, B, A, B…), because this VM's
 * speed drifts by 20–35% within minutes: two runs of run.js an hour apart cannot tell a 5% change
 * from the weather. Each round starts the side's gateway afresh against the same mock upstream and
 * measures the two things the overhead targets are about:
 *
 * - CPU per request at 50 connections: the gateway's main thread and all its threads, from
 *   /proc/<pid>/task/<pid>/stat and /proc/<pid>/stat over BENCH_REQUESTS requests (autocannon), so
 *   a slower client or mock does not count against the gateway (the main thread is the limit:
 *   its µs per request is the inverse of the throughput it allows);
 * - the tail at one connection: BENCH_SEQUENTIAL requests back to back, p50, p99 and how many took
 *   longer than 1.5 ms.
 *
 * Medians over the rounds are printed side by side. A side is a build directory (default `dist`;
 * build another commit with `npx tsc -p . --outDir dist-old` in a worktree) and a config
 * (default bench/overhead/gateway.yaml) and node flags (`BENCH_B_NODE_FLAGS='--max-semi-space-size=64'`).
 * More than two sides: `BENCH_SIDES=A,B,C` with `BENCH_C_DIST`… (each side is measured once a round).
 *
 *   npm run build && BENCH_A_DIST=dist-old BENCH_ROUNDS=6 node dist/bench/overhead/ab.js
 *   BENCH_B_CONFIG=my-variant.yaml node dist/bench/overhead/ab.js
 */
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, start, stop, waitReady } from './processes.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 20_000);
const SEQUENTIAL = Number(process.env['BENCH_SEQUENTIAL'] ?? 5_000);
const SLOW_MS = 1.5;
const CLOCK_TICKS = 100; // USER_HZ on Linux
const BODY = JSON.stringify({ model: 'auto', max_tokens: 16, messages: [{ role: 'user', content: 'Say hello in one word.' }] });
const HEADERS = { 'content-type': 'application/json' };

interface Side { name: string; dist: string; config: string; nodeFlags: string[] }
const SIDES: Side[] = (process.env['BENCH_SIDES'] ?? 'A,B').split(',').map((name) => ({
  name,
  dist: process.env[`BENCH_${name}_DIST`] ?? 'dist',
  config: process.env[`BENCH_${name}_CONFIG`] ?? 'bench/overhead/gateway.yaml',
  nodeFlags: (process.env[`BENCH_${name}_NODE_FLAGS`] ?? '').split(' ').filter(Boolean),
}));

interface Round { mainUs: number; allUs: number; p50: number; p99: number; slow: number }

/** utime + stime in clock ticks, of the main thread or of the whole process. */
const cpuTicks = (pid: number, mainOnly: boolean): number => {
  const stat = readFileSync(mainOnly ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
};

const sequential = async (url: string, n: number): Promise<number[]> => {
  const u = new URL(url);
  const pool = new Pool(u.origin, { connections: 1 });
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await pool.request({ method: 'POST', path: u.pathname, body: BODY, headers: HEADERS });
    await r.body.arrayBuffer();
    ms.push(performance.now() - t0);
  }
  await pool.close();
  return ms.sort((a, b) => a - b);
};

const measure = async (side: Side, mockUrl: string): Promise<Round> => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-ab-'));
  const port = await freePort();
  const child = start([...side.nodeFlags, `${side.dist}/src/main.js`, 'serve', '--config', side.config, '--port', String(port)], { MOCK_URL: `${mockUrl}/v1`, LEDGER_PATH: join(dir, 'ledger.db') });
  const url = `http://127.0.0.1:${port}/v1/chat/completions`;
  try {
    await waitReady(url, { method: 'POST', body: BODY, headers: HEADERS });
    const pid = child.pid as number;
    const load = (amount: number) => autocannon({ url, method: 'POST', connections: 50, amount, body: BODY, headers: HEADERS });
    await load(5_000); // warm-up (JIT, pools)
    const [main0, all0] = [cpuTicks(pid, true), cpuTicks(pid, false)];
    const r = await load(REQUESTS);
    const [main1, all1] = [cpuTicks(pid, true), cpuTicks(pid, false)];
    if (r.errors + r.non2xx > 0) throw new Error(`${side.name}: ${r.errors + r.non2xx} failed requests`);
    const usPerReq = (ticks: number): number => (ticks * 1e6) / CLOCK_TICKS / REQUESTS;
    const ms = await sequential(url, SEQUENTIAL);
    const at = (q: number): number => ms[Math.min(ms.length - 1, Math.floor(ms.length * q))] ?? NaN;
    return {
      mainUs: usPerReq(main1 - main0), allUs: usPerReq(all1 - all0),
      p50: at(0.5), p99: at(0.99), slow: ms.filter((x) => x > SLOW_MS).length,
    };
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? NaN;
};

const main = async (): Promise<void> => {
  const mockPort = await freePort();
  const mockUrl = `http://127.0.0.1:${mockPort}`;
  const mock = start(['dist/bench/overhead/mock-upstream.js', String(mockPort)]);
  const results = new Map<string, Round[]>(SIDES.map((s) => [s.name, []]));
  try {
    await waitReady(`${mockUrl}/v1/models`);
    for (let i = 1; i <= ROUNDS; i++) {
      for (const side of SIDES) {
        const r = await measure(side, mockUrl);
        results.get(side.name)?.push(r);
        process.stderr.write(`round ${i} ${side.name}: main ${r.mainUs.toFixed(0)} µs/req, all threads ${r.allUs.toFixed(0)}; 1 conn p99 ${r.p99.toFixed(3)} ms, ${r.slow} > ${SLOW_MS} ms\n`);
      }
    }
  } finally {
    await stop(mock);
  }
  console.log(`\nA/B, ${new Date().toISOString().slice(0, 16)}Z: ${ROUNDS} interleaved rounds; medians (range)\n`);
  console.log(`| side | build | config | node flags | main thread µs/req @50 | all threads µs/req @50 | 1 conn p50 ms | 1 conn p99 ms | requests > ${SLOW_MS} ms of ${SEQUENTIAL} |`);
  console.log('|---|---|---|---|---:|---:|---:|---:|---:|');
  for (const side of SIDES) {
    const rs = results.get(side.name) ?? [];
    const col = (f: (r: Round) => number, digits = 0): string => {
      const xs = rs.map(f);
      return `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
    };
    console.log(`| ${side.name} | ${side.dist} | ${side.config} | ${side.nodeFlags.join(' ') || '—'} | ${col((r) => r.mainUs)} | ${col((r) => r.allUs)} | ${col((r) => r.p50, 3)} | ${col((r) => r.p99, 3)} | ${col((r) => r.slow)} |`);
  }
};

await main();
