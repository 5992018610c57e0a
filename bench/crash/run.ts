/**
 * What kill -9 loses: runs `switchyard serve` (simulator upstream, SQLite ledger, default
 * flush interval), answers requests from CRASH_CLIENTS concurrent clients for a while, kills the
 * process with SIGKILL mid-load, then compares the ledger with the requests that were answered.
 *
 *   npm run build && node dist/bench/crash/run.js
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { stringify } from 'yaml';
import { defaultConfigTree } from '../../src/config/default-config.js';

const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));
const RUNS = Number(process.env['CRASH_RUNS'] ?? 5);
const CLIENTS = Number(process.env['CRASH_CLIENTS'] ?? 8);
const LOAD_MS = Number(process.env['CRASH_LOAD_MS'] ?? 1500);

const once = async (): Promise<{ answered: number; rows: number }> => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-crash-'));
  const ledger = join(dir, 'ledger.db');
  const tree = { ...defaultConfigTree(), ledger: { path: ledger }, logging: { level: 'warn' as const }, providers: { simulator: { kind: 'simulator' as const, latencyScale: 0 } } };
  writeFileSync(join(dir, 'c.yaml'), stringify(tree));
  const child = spawn(process.execPath, [MAIN, 'serve', '--config', join(dir, 'c.yaml'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve) => {
    const on = (d: Buffer): void => {
      out += d.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
  });
  let answered = 0;
  let stop = false;
  const client = async (): Promise<void> => {
    while (!stop) {
      try {
        const r = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'cheap', messages: [{ role: 'user', content: 'hi' }] }) });
        await r.body.text();
        if (r.statusCode === 200 && !stop) answered += 1;
      } catch {
        return;
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, client);
  await new Promise((r) => setTimeout(r, LOAD_MS));
  stop = true;
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  await Promise.all(clients);
  await exited;
  const db = new Database(ledger, { readonly: true });
  const rows = (db.prepare('SELECT count(DISTINCT request_id) AS n FROM ledger').get() as { n: number }).n;
  db.close();
  return { answered, rows };
};

console.log('| run | requests answered | in ledger after kill -9 | missing | missing ≈ ms of traffic |');
console.log('|---:|---:|---:|---:|---:|');
for (let i = 1; i <= RUNS; i++) {
  const { answered, rows } = await once();
  const missing = Math.max(0, answered - rows);
  const perMs = answered / LOAD_MS;
  console.log(`| ${i} | ${answered} | ${rows} | ${missing} | ${(missing / perMs).toFixed(0)} |`);
}
