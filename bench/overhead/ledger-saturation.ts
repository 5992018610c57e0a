/**
 * The SQLite writer thread on a saturated machine: the gateway pinned to one core (`taskset -c 0`)
 * under 50 connections for BENCH_SECONDS; every second, the rows buffered for the ledger
 * (`ledgerPending` in /healthz), the writer thread's nice value (highest nice among the gateway's
 * threads, from /proc) and how many threads run under SCHED_IDLE. With `ledger.writerNice` and
 * `ledger.writerIdle` at their defaults the thread must go back to normal priority and SCHED_OTHER,
 * and the buffer must stay within about one flush (src/ledger/writer-priority.ts,
 * src/ledger/thread-scheduler.ts). Linux with taskset.
 *
 *   npm run build && node dist/bench/overhead/ledger-saturation.js      (BENCH_SECONDS=20)
 */
import autocannon from 'autocannon';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { freePort, ROOT, start, stop, waitReady } from './processes.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);
const BODY = JSON.stringify({ model: 'auto', max_tokens: 16, messages: [{ role: 'user', content: 'Say hello in one word.' }] });

/** Fields 3… of each thread's /proc stat line (field 19 is nice, 41 the scheduling policy). */
const threadStats = (pid: number): string[][] =>
  readdirSync(`/proc/${pid}/task`).map((t) => {
    const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  });
/** The highest nice value among a process's threads (the writer thread's, when lowered). */
const maxNice = (pid: number): number => Math.max(...threadStats(pid).map((f) => Number(f[16])));
/** Threads under SCHED_IDLE (policy 5): the writer's while it keeps up (src/ledger/thread-scheduler.ts). */
const idleThreads = (pid: number): number => threadStats(pid).filter((f) => f[38] === '5').length;

const main = async (): Promise<void> => {
  const [mockPort, gwPort] = await Promise.all([freePort(), freePort()]);
  const mockUrl = `http://127.0.0.1:${mockPort}`;
  const mock = start(['dist/bench/overhead/mock-upstream.js', String(mockPort)]);
  const gateway = spawn('taskset', ['-c', '0', process.execPath, 'dist/src/main.js', 'serve', '--config', 'bench/overhead/gateway.yaml', '--port', String(gwPort)], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, MOCK_URL: `${mockUrl}/v1`, LEDGER_PATH: join(mkdtempSync(join(tmpdir(), 'sy-sat-')), 'ledger.db') },
  });
  try {
    await waitReady(`${mockUrl}/v1/models`);
    await waitReady(`http://127.0.0.1:${gwPort}/healthz`);
    // taskset execs node in place, so the pid is the gateway's.
    const pid = gateway.pid as number;
    const url = `http://127.0.0.1:${gwPort}/v1/chat/completions`;
    const load = autocannon({ url, method: 'POST', connections: 50, duration: SECONDS, body: BODY, headers: { 'content-type': 'application/json' } });
    console.log(`\nGateway pinned to one core, 50 connections for ${SECONDS} s\n`);
    console.log('| s | ledger rows buffered | writer thread nice | threads under SCHED_IDLE |');
    console.log('|---:|---:|---:|---:|');
    let peak = 0;
    for (let s = 1; s <= SECONDS + 3; s++) {
      await new Promise((r) => setTimeout(r, 1000));
      const health = (await (await fetch(`http://127.0.0.1:${gwPort}/healthz`)).json()) as { ledgerPending: number };
      peak = Math.max(peak, health.ledgerPending);
      console.log(`| ${s} | ${health.ledgerPending} | ${maxNice(pid)} | ${idleThreads(pid)} |`);
    }
    const r = await load;
    console.log(`\n${r.requests.total} requests (${r.requests.average.toFixed(0)} req/s), ${r.errors + r.non2xx} errors; peak buffered rows ${peak}`);
  } finally {
    await stop(gateway);
    await stop(mock);
  }
};

await main();
