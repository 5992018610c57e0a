/**
 * Where the one-connection tail comes from: requests back to back through the gateway (as in
 * run.ts at 1 connection) while `perf` records every context switch on the machine, then, for each
 * request slower than BENCH_SLOW_MS, which threads held the two CPUs during it and how long the
 * gateway's main thread waited runnable for a CPU. Needs `perf` and root (or perf_event_paranoid ≤ 1).
 *
 *   npm run build && node dist/bench/overhead/tail-trace.js     (BENCH_SECONDS=5, BENCH_CONFIG=…)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { freePort, start, stop, waitReady } from './processes.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const SLOW_MS = Number(process.env['BENCH_SLOW_MS'] ?? 1.5);
const CONFIG = process.env['BENCH_CONFIG'] ?? 'bench/overhead/gateway.yaml';
/** BENCH_PROFILE=1: sample the gateway's stacks instead (perf at 10 kHz, JS frames named) and compare slow requests with the rest. */
const PROFILE = process.env['BENCH_PROFILE'] === '1';
const BODY = JSON.stringify({ model: 'auto', max_tokens: 16, messages: [{ role: 'user', content: 'Say hello in one word.' }] });

/** [start, end] of each request in CLOCK_MONOTONIC ns (process.hrtime is that clock). */
const sequential = async (url: string, seconds: number): Promise<Array<[bigint, bigint]>> => {
  const u = new URL(url);
  const pool = new Pool(u.origin, { connections: 1 });
  const spans: Array<[bigint, bigint]> = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const t0 = process.hrtime.bigint();
    const r = await pool.request({ method: 'POST', path: u.pathname, body: BODY, headers: { 'content-type': 'application/json' } });
    await r.body.arrayBuffer();
    spans.push([t0, process.hrtime.bigint()]);
  }
  await pool.close();
  return spans;
};

interface Switch { t: number; cpu: number; prevTid: number; prevState: string; nextTid: number }
interface Wakeup { t: number; tid: number }

const parsePerf = (file: string): { switches: Switch[]; wakeups: Wakeup[]; comm: Map<number, string> } => {
  const out = spawnSync('perf', ['script', '-i', file, '-F', 'tid,cpu,time,event,trace'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const switches: Switch[] = [];
  const wakeups: Wakeup[] = [];
  const comm = new Map<number, string>();
  for (const line of out.stdout.split('\n')) {
    const m = /^\s*(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:(sched_switch|sched_wakeup):\s+(.*)$/.exec(line);
    if (!m) continue;
    const t = Number(m[3]) * 1e9;
    const body = m[5] ?? '';
    if (m[4] === 'sched_switch') {
      const s = /prev_comm=(.*?) prev_pid=(\d+) .*prev_state=(\S+) ==> next_comm=(.*?) next_pid=(\d+)/.exec(body);
      if (!s) continue;
      comm.set(Number(s[2]), s[1] ?? '');
      comm.set(Number(s[5]), s[4] ?? '');
      switches.push({ t, cpu: Number(m[2]), prevTid: Number(s[2]), prevState: s[3] ?? '', nextTid: Number(s[5]) });
    } else {
      const w = /comm=(.*?) pid=(\d+)/.exec(body);
      if (!w) continue;
      comm.set(Number(w[2]), w[1] ?? '');
      wakeups.push({ t, tid: Number(w[2]) });
    }
  }
  return { switches, wakeups, comm };
};

/**
 * Main-thread samples of the gateway inside slow requests against those inside the others: per
 * function (anywhere on the stack), ms of main-thread time per request, and the excess in slow ones.
 */
const compareStacks = (file: string, gwPid: number, spans: Array<[bigint, bigint]>): void => {
  const out = spawnSync('perf', ['script', '-i', file, '-F', 'tid,time,ip,sym'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const samples: Array<{ t: number; frames: string[] }> = [];
  let cur: { t: number; frames: string[] } | undefined;
  for (const line of out.stdout.split('\n')) {
    const head = /^\s*(\d+)\s+([\d.]+):/.exec(line);
    if (head) {
      cur = Number(head[1]) === gwPid ? { t: Number(head[2]) * 1e9, frames: [] } : undefined;
      if (cur) samples.push(cur);
    } else if (cur && line.trim()) {
      cur.frames.push(line.trim().replace(/^[0-9a-f]+\s+/, '').replace(/\+0x[0-9a-f]+$/, ''));
    }
  }
  samples.sort((a, b) => a.t - b.t);
  const ordered = [...spans].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const slowOf = (d: number): boolean => d > SLOW_MS;
  const per = { slow: new Map<string, number>(), fast: new Map<string, number>() };
  const count = { slow: 0, fast: 0 };
  const samplesIn = { slow: 0, fast: 0 };
  let i = 0;
  for (const [a, b] of ordered) {
    const kind = slowOf(Number(b - a) / 1e6) ? 'slow' : 'fast';
    count[kind] += 1;
    while (i < samples.length && (samples[i]?.t ?? 0) < Number(a)) i++;
    for (let j = i; j < samples.length && (samples[j]?.t ?? 0) <= Number(b); j++) {
      samplesIn[kind] += 1;
      for (const f of new Set(samples[j]?.frames ?? [])) per[kind].set(f, (per[kind].get(f) ?? 0) + 1);
    }
  }
  const msPer = (n: number, kind: 'slow' | 'fast'): number => n / 10 / Math.max(1, count[kind]); // 10 kHz: a sample is 0.1 ms
  console.log(`${count.slow} slow requests (> ${SLOW_MS} ms), ${count.fast} others; main thread busy ${msPer(samplesIn.slow, 'slow').toFixed(3)} ms per slow request, ${msPer(samplesIn.fast, 'fast').toFixed(3)} per other\n`);
  console.log('| function (anywhere on the stack) | ms per slow request | ms per other request | excess ms |');
  console.log('|---|---:|---:|---:|');
  const rows = [...per.slow].map(([f, n]) => [f, msPer(n, 'slow'), msPer(per.fast.get(f) ?? 0, 'fast')] as const)
    .sort((x, y) => (y[1] - y[2]) - (x[1] - x[2])).slice(0, Number(process.env['BENCH_ROWS'] ?? 40));
  for (const [f, s, o] of rows) console.log(`| ${f.slice(0, 110)} | ${s.toFixed(3)} | ${o.toFixed(3)} | ${(s - o).toFixed(3)} |`);
};

const main = async (): Promise<void> => {
  const [mockPort, gwPort] = await Promise.all([freePort(), freePort()]);
  const mockUrl = `http://127.0.0.1:${mockPort}`;
  const mock = start(['dist/bench/overhead/mock-upstream.js', String(mockPort)]);
  const dir = mkdtempSync(join(tmpdir(), 'sy-tail-'));
  const gateway = start([...(PROFILE ? ['--perf-basic-prof', '--interpreted-frames-native-stack'] : []), 'dist/src/main.js', 'serve', '--config', CONFIG, '--port', String(gwPort)], { MOCK_URL: `${mockUrl}/v1`, LEDGER_PATH: join(dir, 'ledger.db') });
  const url = `http://127.0.0.1:${gwPort}/v1/chat/completions`;
  try {
    await waitReady(`${mockUrl}/v1/models`);
    await waitReady(`http://127.0.0.1:${gwPort}/healthz`);
    await sequential(url, 2); // warm-up
    const perfFile = join(dir, 'perf.data');
    const events = PROFILE
      ? ['-F', '10000', '-g', '-p', String(gateway.pid)]
      : ['-e', 'sched:sched_switch', '-e', 'sched:sched_wakeup', '-a'];
    const perf = spawn('perf', ['record', '-q', '-k', 'CLOCK_MONOTONIC', ...events, '-o', perfFile, '--', 'sleep', String(SECONDS + 1)], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 500));
    const spans = await sequential(url, SECONDS);
    await new Promise((r) => perf.once('exit', r));
    const gwPid = gateway.pid as number;
    if (PROFILE) return compareStacks(perfFile, gwPid, spans);
    const threads = new Map(readdirSync(`/proc/${gwPid}/task`).map((t) => [Number(t), readFileSync(`/proc/${gwPid}/task/${t}/comm`, 'utf8').trim()]));
    const { switches, wakeups, comm } = parsePerf(perfFile);
    console.log(`gateway ${gwPid}, mock ${mock.pid}, client ${process.pid}; gateway threads: ${[...threads].map(([t, c]) => `${t} ${c}`).join(', ')}`);
    const label = (tid: number): string => (tid === gwPid ? 'GATEWAY main' : threads.has(tid) ? `gateway ${threads.get(tid)} ${tid}` : tid === mock.pid ? 'mock' : tid === process.pid ? 'client' : tid === 0 ? 'idle' : `${comm.get(tid) ?? '?'} ${tid}`);
    const durations = spans.map(([a, b]) => Number(b - a) / 1e6).sort((a, b) => a - b);
    const slow = spans.filter(([a, b]) => Number(b - a) / 1e6 > SLOW_MS);
    console.log(`${spans.length} requests, p50 ${durations[Math.floor(durations.length / 2)]?.toFixed(3)} ms, p99 ${durations[Math.floor(durations.length * 0.99)]?.toFixed(3)} ms, ${slow.length} > ${SLOW_MS} ms`);
    // Per slow request: ms each thread ran during it (all CPUs), and the main thread's runnable wait.
    const totals = new Map<string, number>();
    let mainWait = 0;
    for (const [a, b] of slow) {
      const t0 = Number(a);
      const t1 = Number(b);
      const ran = new Map<string, number>();
      for (const cpu of [0, 1]) {
        const onCpu = switches.filter((s) => s.cpu === cpu);
        let cur = -1;
        let since = t0;
        for (const s of onCpu) {
          if (s.t < t0) { cur = s.nextTid; continue; }
          if (s.t > t1) break;
          if (cur >= 0) ran.set(label(cur), (ran.get(label(cur)) ?? 0) + (s.t - since) / 1e6);
          cur = s.nextTid;
          since = s.t;
        }
        if (cur >= 0) ran.set(label(cur), (ran.get(label(cur)) ?? 0) + (t1 - since) / 1e6);
      }
      // Runnable wait of the gateway's main thread: wakeup → next switch-in, or preempted (state R) → next switch-in.
      let wait = 0;
      let readyAt = -1;
      const events = [
        ...wakeups.filter((w) => w.tid === gwPid && w.t >= t0 && w.t <= t1).map((w) => ({ t: w.t, kind: 'ready' as const })),
        ...switches.filter((s) => s.t >= t0 && s.t <= t1 && ((s.prevTid === gwPid && s.prevState.startsWith('R')) || s.nextTid === gwPid))
          .map((s) => ({ t: s.t, kind: s.nextTid === gwPid ? ('run' as const) : ('ready' as const) })),
      ].sort((x, y) => x.t - y.t);
      for (const e of events) {
        if (e.kind === 'ready' && readyAt < 0) readyAt = e.t;
        if (e.kind === 'run' && readyAt >= 0) { wait += (e.t - readyAt) / 1e6; readyAt = -1; }
      }
      mainWait += wait;
      for (const [k, v] of ran) totals.set(k, (totals.get(k) ?? 0) + v);
      const top = [...ran].filter(([k]) => k !== 'idle').sort((x, y) => y[1] - x[1]).slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
      console.log(`${((t1 - t0) / 1e6).toFixed(2)} ms: main waited ${wait.toFixed(2)} ms runnable; ran: ${top}`);
    }
    console.log('\nSummed over the slow requests (ms on either CPU):');
    for (const [k, v] of [...totals].sort((x, y) => y[1] - x[1]).slice(0, 15)) console.log(`  ${k}: ${v.toFixed(1)}`);
    console.log(`  gateway main thread runnable but waiting: ${mainWait.toFixed(1)}`);
  } finally {
    await stop(gateway);
    await stop(mock);
  }
};

await main();
