/**
 * How much of the gateway's one-connection tail is the ledger's: the A/B of ab.ts with four sides,
 * interleaved round by round —
 *   A  the build as it is (dist);
 *   B  the same, but the SQLite thread drops ledger and decision rows on arrival: the main thread
 *      still clones and posts them, the thread still receives them, nothing is inserted;
 *   C  the same, but no row is posted at all (the batch writers still queue and hand over batches);
 *   D  rows posted, and instead of inserting them the thread spins for 15 µs a row — about the CPU
 *      its inserts take (profile.js: other threads ~31 µs a request, two rows) — so D against A
 *      tells whether the inserts cost the tail as CPU on another thread or as something SQLite
 *      does (locks, I/O).
 * B, C and D are copies of dist with one edit each (dist-ledger-post-only/, dist-ledger-none/,
 * dist-ledger-spin/, made afresh every run); A − B is SQLite's own work, B − C handing rows to the
 * thread.
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
variant('dist-ledger-spin', 'src/ledger/ledger-worker.js', /(\n\s*)(const method = methods\.get\(msg\.op\);)/,
  "$1if (msg.op === 'insert' || msg.op === 'learning.insertDecisions') { const end = performance.now() + msg.args[0].length * 0.015; while (performance.now() < end); return undefined; }$1$2");
variant('dist-ledger-none', 'src/ledger/worker-ledger-store.js', /(const chunked = \(op\) => async \(rows\) => \{)[\s\S]*?(\n {4}\};)/, '$1$2');

const env = {
  ...process.env,
  BENCH_SIDES: 'A,B,C,D', BENCH_B_DIST: 'dist-ledger-post-only', BENCH_C_DIST: 'dist-ledger-none', BENCH_D_DIST: 'dist-ledger-spin',
  BENCH_ROUNDS: process.env['BENCH_ROUNDS'] ?? '4', BENCH_REQUESTS: process.env['BENCH_REQUESTS'] ?? '5000',
  BENCH_SEQUENTIAL: process.env['BENCH_SEQUENTIAL'] ?? '8000',
};
console.log('A: dist as built; B: rows posted to the SQLite thread and dropped there; C: no rows posted; D: posted, the thread spins 15 µs a row instead of inserting');
const r = spawnSync(process.execPath, [join(ROOT, 'dist/bench/overhead/ab.js')], { cwd: ROOT, env, stdio: 'inherit' });
process.exitCode = r.status ?? 1;
