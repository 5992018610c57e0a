/**
 * Where the gateway's time goes, beside the bare undici proxy and the Fastify JSON proxy (bench/overhead/run.ts has the
 * side-by-side throughput table; this explains it):
 *
 * 1. Tail at one connection: requests back to back, each with its wall-clock start and end, while
 *    the server records its garbage collections (gc-observer.ts); how many requests were slower than
 *    BENCH_SLOW_MS (default 1.5) and how many of those overlapped a collection.
 * 2. CPU per request at 50 connections: the server under `node --cpu-prof`, autocannon for
 *    BENCH_SECONDS; sampled busy time per request on the main thread and on the others (the ledger
 *    writer), the share of socket writes (`writev`) and of the garbage collector, the functions
 *    with the most self time, self time by owner (npm package, src/ folder, Node's own code), and
 *    the gateway's own functions by inclusive time. The profiler slows
 *    the server, so read the shares, not the req/s.
 *
 *   npm run build && node dist/bench/overhead/profile.js
 */
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summariseProfile } from './cpu-profile.js';
import { freePort, start, stop, waitReady } from './processes.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const SEQUENTIAL = Number(process.env['BENCH_REQUESTS'] ?? 10_000);
const SLOW_MS = Number(process.env['BENCH_SLOW_MS'] ?? 1.5);
const TOP = 12;
const BODY = (model: string): string => JSON.stringify({ model, max_tokens: 16, messages: [{ role: 'user', content: 'Say hello in one word.' }] });

interface Server { name: string; model: string; args: (port: number, mockUrl: string) => string[]; env: (dir: string, mockUrl: string) => Record<string, string> }

const SERVERS: Server[] = [
  {
    name: 'bare undici proxy', model: 'gpt-3.5-turbo-1106',
    args: (port, mockUrl) => ['dist/bench/overhead/undici-proxy.js', mockUrl, String(port)],
    env: () => ({ GC_OBSERVER_EXIT_ON_TERM: '1' }),
  },
  {
    name: 'fastify JSON proxy', model: 'gpt-3.5-turbo-1106',
    args: (port, mockUrl) => ['dist/bench/overhead/fastify-json-proxy.js', mockUrl, String(port)],
    env: () => ({ GC_OBSERVER_EXIT_ON_TERM: '1' }),
  },
  {
    name: 'switchyard', model: 'auto',
    args: (port) => ['dist/src/main.js', 'serve', '--config', 'bench/overhead/gateway.yaml', '--port', String(port)],
    env: (dir, mockUrl) => ({ MOCK_URL: `${mockUrl}/v1`, LEDGER_PATH: join(dir, 'ledger.db') }),
  },
];

interface Tail { p50: number; p99: number; slow: number; slowInGc: number; gcs: number }

const sequentialTail = async (url: string, model: string, n: number): Promise<[number, number][]> => {
  const u = new URL(url);
  const pool = new Pool(u.origin, { connections: 1 });
  const spans: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.timeOrigin + performance.now();
    const r = await pool.request({ method: 'POST', path: u.pathname, body: BODY(model), headers: { 'content-type': 'application/json' } });
    await r.body.arrayBuffer();
    spans.push([t0, performance.timeOrigin + performance.now()]);
  }
  await pool.close();
  return spans;
};

const tailOf = (spans: [number, number][], gcFile: string): Tail => {
  const gcs = existsSync(gcFile)
    ? readFileSync(gcFile, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ').map(Number)).map(([s = 0, d = 0]) => [s, s + d] as const)
    : [];
  const inRun = gcs.filter(([s]) => s >= (spans[0]?.[0] ?? 0) && s <= (spans.at(-1)?.[1] ?? 0));
  const ms = spans.map(([a, b]) => b - a);
  const sorted = [...ms].sort((a, b) => a - b);
  const slow = spans.filter(([a, b]) => b - a > SLOW_MS);
  const slowInGc = slow.filter(([a, b]) => inRun.some(([s, e]) => s < b && e > a)).length;
  return { p50: sorted[Math.floor(sorted.length / 2)] ?? NaN, p99: sorted[Math.floor(sorted.length * 0.99)] ?? NaN, slow: slow.length, slowInGc, gcs: inRun.length };
};

interface Cpu { rps: number; mainUs: number; otherUs: number; writevShare: number; gcShare: number; top: [string, number][]; ownInclusive: [string, number][]; owners: [string, number][] }

const cpuOf = (dir: string, requests: number): Cpu & { rps: number } => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is the main thread.
  const main = files.find((f) => f.split('.')[4] === '0');
  if (!main) throw new Error(`no main-thread profile in ${dir}`);
  const m = summariseProfile(join(dir, main));
  const otherUs = files.filter((f) => f !== main).reduce((sum, f) => sum + summariseProfile(join(dir, f)).busyUs, 0);
  const share = (name: string): number => (m.self.find(([k]) => k === name)?.[1] ?? 0) / m.busyUs;
  return { rps: 0, mainUs: m.busyUs / requests, otherUs: otherUs / requests, writevShare: share('writev'), gcShare: share('(garbage collector)'), top: m.self.slice(0, TOP).map(([k, us]) => [k, us / m.busyUs]),
    owners: m.owners.slice(0, TOP).map(([k, us]) => [k, us / requests]),
    ownInclusive: m.inclusive.filter(([k]) => k.includes(' dist/src/')).slice(0, TOP).map(([k, us]) => [k, us / requests]) };
};

const measure = async (s: Server, mockUrl: string): Promise<{ tail: Tail; cpu: Cpu }> => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-profile-'));
  const gcFile = join(dir, 'gc.txt');
  // 1. Tail, without the profiler (it would add its own pauses).
  let port = await freePort();
  let child = start(['--import', './dist/bench/overhead/gc-observer.js', ...s.args(port, mockUrl)], { ...s.env(dir, mockUrl), GC_EVENTS_FILE: gcFile });
  const url = (p: number): string => `http://127.0.0.1:${p}/v1/chat/completions`;
  await waitReady(url(port), { method: 'POST', body: BODY(s.model), headers: { 'content-type': 'application/json' } });
  await sequentialTail(url(port), s.model, Math.min(2000, SEQUENTIAL)); // warm-up (JIT, pools)
  const spans = await sequentialTail(url(port), s.model, SEQUENTIAL);
  await stop(child);
  const tail = tailOf(spans, gcFile);
  // 2. CPU per request at 50 connections, under the profiler.
  const profDir = join(dir, 'prof');
  port = await freePort();
  child = start(['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--import', './dist/bench/overhead/gc-observer.js', ...s.args(port, mockUrl)], s.env(dir, mockUrl));
  await waitReady(url(port), { method: 'POST', body: BODY(s.model), headers: { 'content-type': 'application/json' } });
  const r = await autocannon({ url: url(port), method: 'POST', connections: 50, duration: SECONDS, body: BODY(s.model), headers: { 'content-type': 'application/json' } });
  await stop(child);
  // Every request the process served, start-up included in the busy time (a few ms of ~10 s).
  const cpu = cpuOf(profDir, r.requests.total + 1);
  cpu.rps = r.requests.average;
  process.stderr.write(`${s.name}: done\n`);
  return { tail, cpu };
};

const main = async (): Promise<void> => {
  const mockPort = await freePort();
  const mockUrl = `http://127.0.0.1:${mockPort}`;
  const mock = start(['dist/bench/overhead/mock-upstream.js', String(mockPort)]);
  try {
    await waitReady(`${mockUrl}/v1/models`);
    const results: { name: string; tail: Tail; cpu: Cpu }[] = [];
    for (const s of SERVERS) results.push({ name: s.name, ...(await measure(s, mockUrl)) });
    console.log(`\nGateway profile, ${new Date().toISOString().slice(0, 16)}Z: ${SEQUENTIAL} sequential requests, then ${SECONDS}s at 50 connections under --cpu-prof\n`);
    console.log(`| server | 1 conn p50 ms | p99 ms | requests > ${SLOW_MS} ms | of them during a GC | GCs | 50 conns req/s (profiled) | main thread CPU µs/req | other threads µs/req | writev share | GC share |`);
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const { name, tail: t, cpu: c } of results) {
      const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
      console.log(`| ${name} | ${t.p50.toFixed(3)} | ${t.p99.toFixed(3)} | ${t.slow} | ${t.slowInGc} | ${t.gcs} | ${c.rps.toFixed(0)} | ${c.mainUs.toFixed(0)} | ${c.otherUs.toFixed(0)} | ${pct(c.writevShare)} | ${pct(c.gcShare)} |`);
    }
    for (const { name, cpu } of results) {
      console.log(`\n${name}: main-thread self time, top ${TOP}\n`);
      for (const [k, share] of cpu.top) console.log(`  ${(100 * share).toFixed(1).padStart(5)}%  ${k}`);
      console.log(`\n${name}: main-thread self time by owner, µs per request, top ${TOP}\n`);
      for (const [k, us] of cpu.owners) console.log(`  ${us.toFixed(1).padStart(6)} µs  ${k}`);
      if (cpu.ownInclusive.length === 0) continue;
      console.log(`\n${name}: its own functions by inclusive main-thread time (with what they call), µs per request, top ${TOP}\n`);
      for (const [k, us] of cpu.ownInclusive) console.log(`  ${us.toFixed(1).padStart(6)} µs  ${k}`);
    }
  } finally {
    await stop(mock);
  }
};

await main();
