/**
 * Gateway overhead, side by side in one run, against the same zero-latency mock upstream
 * (bench/overhead/mock-upstream.ts, a canned OpenAI answer): direct to the mock, a bare undici proxy, a
 * Fastify JSON proxy (fastify-json-proxy.ts: framework and JSON, nothing else), Switchyard (routing,
 * SQLite ledger and metrics on) and the Portkey gateway (@portkey-ai/gateway from npm).
 * Each server runs in its own process. At 1 connection a sequential client times every request
 * with hrtime (microsecond resolution); at 50 connections autocannon drives the load.
 *
 *   npm run build && node dist/bench/overhead/run.js            (BENCH_SECONDS=10 by default)
 */
import autocannon from 'autocannon';
import { Pool } from 'undici';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, rssMb, start, waitReady } from './processes.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = (process.env['BENCH_CONNECTIONS'] ?? '1,50').split(',').map(Number);
const BODY = (model: string): string => JSON.stringify({ model, max_tokens: 16, messages: [{ role: 'user', content: 'Say hello in one word.' }] });

interface Scenario { name: string; url: string; headers: Record<string, string>; model: string; pid?: number }
interface Row { name: string; connections: number; rps: number; p50: number; p99: number; errors: number; rss: number }

interface Measured { rps: number; p50: number; p99: number; errors: number }

/**
 * One connection: requests back to back on one keep-alive socket, each timed with hrtime, so that
 * added latency is resolved to the microsecond (autocannon reports whole milliseconds).
 */
const sequential = async (s: Scenario, seconds: number): Promise<Measured> => {
  const u = new URL(s.url);
  const pool = new Pool(u.origin, { connections: 1 });
  const body = BODY(s.model);
  const times: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const t0 = process.hrtime.bigint();
    const r = await pool.request({ method: 'POST', path: u.pathname, body, headers: { 'content-type': 'application/json', ...s.headers } });
    await r.body.arrayBuffer();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.statusCode !== 200) errors += 1;
  }
  await pool.close();
  times.sort((a, b) => a - b);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(times.length * q))] ?? NaN;
  return { rps: times.length / seconds, p50: at(0.5), p99: at(0.99), errors };
};

const concurrent = async (s: Scenario, connections: number, seconds: number): Promise<Measured> => {
  const r = await autocannon({ url: s.url, method: 'POST', connections, duration: seconds, body: BODY(s.model), headers: { 'content-type': 'application/json', ...s.headers } });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
};

const load = (s: Scenario, connections: number, seconds: number): Promise<Measured> =>
  connections === 1 ? sequential(s, seconds) : concurrent(s, connections, seconds);

const main = async (): Promise<void> => {
  const [mockPort, proxyPort, fastifyPort, gwPort, pkPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const mockUrl = `http://127.0.0.1:${mockPort}`;
  const procs: ChildProcess[] = [];
  try {
    const mock = start(['dist/bench/overhead/mock-upstream.js', String(mockPort)]);
    procs.push(mock);
    await waitReady(`${mockUrl}/v1/models`);
    const proxy = start(['dist/bench/overhead/undici-proxy.js', mockUrl, String(proxyPort)]);
    const fastifyProxy = start(['dist/bench/overhead/fastify-json-proxy.js', mockUrl, String(fastifyPort)]);
    const gateway = start(['dist/src/main.js', 'serve', '--config', 'bench/overhead/gateway.yaml', '--port', String(gwPort)], {
      MOCK_URL: `${mockUrl}/v1`, LEDGER_PATH: join(mkdtempSync(join(tmpdir(), 'sy-bench-')), 'ledger.db'),
    });
    const portkey = start(['node_modules/@portkey-ai/gateway/build/start-server.js', `--port=${pkPort}`, '--headless'], { TRUSTED_CUSTOM_HOSTS: '127.0.0.1,localhost' });
    procs.push(proxy, fastifyProxy, gateway, portkey);
    await Promise.all([
      waitReady(`http://127.0.0.1:${proxyPort}/v1/models`),
      waitReady(`http://127.0.0.1:${fastifyPort}/v1/models`),
      waitReady(`http://127.0.0.1:${gwPort}/healthz`),
      waitReady(`http://127.0.0.1:${pkPort}/`),
    ]);
    const scenarios: Scenario[] = [
      { name: 'direct to mock', url: `${mockUrl}/v1/chat/completions`, headers: {}, model: 'gpt-3.5-turbo-1106', pid: mock.pid },
      { name: 'bare undici proxy', url: `http://127.0.0.1:${proxyPort}/v1/chat/completions`, headers: {}, model: 'gpt-3.5-turbo-1106', pid: proxy.pid },
      { name: 'fastify JSON proxy', url: `http://127.0.0.1:${fastifyPort}/v1/chat/completions`, headers: {}, model: 'gpt-3.5-turbo-1106', pid: fastifyProxy.pid },
      { name: 'switchyard', url: `http://127.0.0.1:${gwPort}/v1/chat/completions`, headers: {}, model: 'auto', pid: gateway.pid },
      {
        name: 'portkey gateway', url: `http://127.0.0.1:${pkPort}/v1/chat/completions`, model: 'gpt-3.5-turbo-1106', pid: portkey.pid,
        headers: { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${mockUrl}/v1`, authorization: 'Bearer sk-bench' },
      },
    ];
    for (const s of scenarios) {
      const probe = await fetch(s.url, { method: 'POST', body: BODY(s.model), headers: { 'content-type': 'application/json', ...s.headers } });
      if (probe.status !== 200) throw new Error(`${s.name}: probe answered ${probe.status}: ${(await probe.text()).slice(0, 300)}`);
    }
    const rows: Row[] = [];
    for (const connections of CONNECTIONS) {
      for (const s of scenarios) {
        await load(s, connections, Math.min(2, SECONDS)); // warm-up (JIT, pools)
        const r = await load(s, connections, SECONDS);
        rows.push({ name: s.name, connections, ...r, rss: rssMb(s.pid) });
        process.stderr.write(`${s.name} @${connections}: ${r.rps.toFixed(0)} req/s\n`);
      }
    }
    printTable(rows);
  } finally {
    for (const p of procs) p.kill('SIGTERM');
  }
};

const printTable = (rows: Row[]): void => {
  console.log(`\nGateway overhead: ${SECONDS}s per cell, zero-latency mock upstream, ${new Date().toISOString().slice(0, 10)}\n`);
  console.log('| server | conns | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms | errors | RSS MB | req/s vs Portkey | req/s vs bare proxy |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const same = rows.filter((x) => x.connections === r.connections);
    const direct = same.find((x) => x.name === 'direct to mock');
    const pk = same.find((x) => x.name === 'portkey gateway');
    const bare = same.find((x) => x.name === 'bare undici proxy');
    const added = (a: number, b: number | undefined): string => (b === undefined || r.name === 'direct to mock' ? '—' : (a - b).toFixed(3));
    console.log(`| ${r.name} | ${r.connections} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} | ${added(r.p50, direct?.p50)} | ${added(r.p99, direct?.p99)} | ${r.errors} | ${r.rss.toFixed(0)} | ${pk ? (r.rps / pk.rps).toFixed(2) + '×' : '—'} | ${bare ? (r.rps / bare.rps).toFixed(2) + '×' : '—'} |`);
  }
};

await main();
