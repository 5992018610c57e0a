/**
 * Heap held per pending decision: the gateway (bench/overhead/gateway.yaml, in-process) against the
 * zero-latency mock upstream, BENCH_REQUESTS requests, a full garbage collection before and after;
 * the heap that stays, per request, with `learning.pendingDecisions` at its default (every decision
 * kept for delayed feedback) beside the same config keeping one (what the rest of the gateway holds).
 * 100,000 decisions are kept by default, so this times 100,000 is the learning loop's memory.
 *
 *   npm run build && node dist/bench/learning/pending-memory.js
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Pool } from 'undici';
import { loadConfig } from '../../src/config/load-config.js';
import { startGateway } from '../../src/cli/start-gateway.js';
import { freePort, start, stop, waitReady } from '../overhead/processes.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 20_000);
const CONCURRENCY = 8;

const heldPerRequest = async (configPath: string, mockUrl: string, dir: string): Promise<{ held: number; pending: number }> => {
  process.env['MOCK_URL'] = `${mockUrl}/v1`;
  process.env['LEDGER_PATH'] = join(dir, `${Date.now()}.db`);
  const gateway = await startGateway({ config: await loadConfig(configPath), port: await freePort(), logLevel: 'error' });
  const pool = new Pool(gateway.url, { connections: CONCURRENCY });
  const run = async (n: number): Promise<void> => {
    let i = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (i < n) {
        // Distinct prompts (as traffic has), a thousand of them.
        const content = `Say hello in one word. ${i++ % 1_000}`;
        const r = await pool.request({ method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'auto', max_tokens: 16, messages: [{ role: 'user', content }] }) });
        await r.body.text();
      }
    }));
  };
  const settle = async (): Promise<number> => {
    await gateway.flushLedger();
    await new Promise((r) => setTimeout(r, 300));
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  try {
    await run(2_000); // warm-up: pools, JIT, the first pending decisions
    const before = await settle();
    await run(REQUESTS);
    const after = await settle();
    return { held: (after - before) / REQUESTS, pending: gateway.learning.pendingDecisions };
  } finally {
    await pool.close();
    await gateway.close();
  }
};

const main = async (): Promise<void> => {
  const mockPort = await freePort();
  const mockUrl = `http://127.0.0.1:${mockPort}`;
  const mock: ChildProcess = start(['dist/bench/overhead/mock-upstream.js', String(mockPort)]);
  const dir = mkdtempSync(join(tmpdir(), 'sy-pending-memory-'));
  const one = join(dir, 'one-pending.yaml');
  writeFileSync(one, `${readFileSync('bench/overhead/gateway.yaml', 'utf8')}\nlearning: { pendingDecisions: 1 }\n`);
  try {
    await waitReady(`${mockUrl}/v1/models`);
    const rows: Array<[string, { held: number; pending: number }]> = [
      ['default (pendingDecisions 100,000)', await heldPerRequest('bench/overhead/gateway.yaml', mockUrl, dir)],
      ['pendingDecisions: 1', await heldPerRequest(one, mockUrl, dir)],
    ];
    console.log(`\nHeap held after ${REQUESTS} requests (full GC before and after), ${new Date().toISOString().slice(0, 16)}Z\n`);
    console.log('| config | decisions kept | heap held per request, bytes |');
    console.log('|---|---:|---:|');
    for (const [name, r] of rows) console.log(`| ${name} | ${r.pending} | ${r.held.toFixed(0)} |`);
  } finally {
    await stop(mock);
  }
};

await main();
