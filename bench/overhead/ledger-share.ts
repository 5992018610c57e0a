/**
 * How much of the gateway's one-connection tail is the ledger's: the A/B of ab.ts with three sides,
 * interleaved round by round —
 *   A  the build as it is (dist);
 *   B  the same, but the SQLite thread drops ledger and decision rows on arrival: the main thread
 *      still clones and posts them, the thread still receives them, nothing is inserted;
 *   C  the same, but no row is posted at all (the batch writers still queue and hand over batches).
 * B and C are copies of dist with one edit each (dist-ledger-post-only/, dist-ledger-none/, made
 * afresh every run); A − B is SQLite's own work, B − C handing rows to the thread.
 *
 *   npm run build && node dist/bench/overhead/ledger-share.js   (BENCH_ROUNDS=4, BENCH_REQUESTS=5000, BENCH_SEQUENTIAL=8000)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes.js';

/** Copies dist to `dir` and applies one edit to one file; fails loudly when the code no longer matches. */
const variant = (dir: string, file: string, pattern: RegExp, replacement: string): void => {
  const to = join(ROOT, dir);
  rmSync(to, { recursive: true, force: true });
  cpSync(join(ROOT, 'dist'), to, { recursive: true });
  const path = join(to, file);
  const text = readFileSync(path, 'utf8');
  if (!pattern.test(text)) throw new Error(`${file}: ${pattern} not found — update bench/overhead/ledger-share.ts to the current code`);
  writeFileSync(path, text.replace(pattern, replacement));
};

variant('dist-ledger-post-only', 'src/ledger/ledger-worker.js', /(\n\s*)(const method = methods\.get\(msg\.op\);)/,
  "$1if (msg.op === 'insert' || msg.op === 'learning.insertDecisions') return undefined;$1$2");
variant('dist-ledger-none', 'src/ledger/worker-ledger-store.js', /(const chunked = \(op\) => async \(rows\) => \{)[\s\S]*?(\n {4}\};)/, '$1$2');

const env = {
  ...process.env,
  BENCH_SIDES: 'A,B,C', BENCH_B_DIST: 'dist-ledger-post-only', BENCH_C_DIST: 'dist-ledger-none',
  BENCH_ROUNDS: process.env['BENCH_ROUNDS'] ?? '4', BENCH_REQUESTS: process.env['BENCH_REQUESTS'] ?? '5000',
  BENCH_SEQUENTIAL: process.env['BENCH_SEQUENTIAL'] ?? '8000',
};
console.log('A: dist as built; B: rows posted to the SQLite thread and dropped there; C: no rows posted');
const r = spawnSync(process.execPath, [join(ROOT, 'dist/bench/overhead/ab.js')], { cwd: ROOT, env, stdio: 'inherit' });
process.exitCode = r.status ?? 1;
