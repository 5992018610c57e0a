import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import { testConfigTree } from '../helpers/start-test-gateway.js';

const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

/** The real process: `switchyard serve`, SIGTERM while streams are in flight, exit 0, nothing lost. */
test('SIGTERM drains in-flight streams, flushes the ledger and exits 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-proc-'));
  const ledgerPath = join(dir, 'ledger.db');
  const tree = testConfigTree(ledgerPath, { providers: { sim: { kind: 'simulator', latencyScale: 0.3 } }, logging: { level: 'warn' } });
  writeFileSync(join(dir, 'switchyard.yaml'), stringify(tree));
  const child = spawn(process.execPath, [MAIN, 'serve', '--config', join(dir, 'switchyard.yaml'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer): void => {
      output += d.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited early (${code}): ${output}`)));
  });
  // Streams from a model with real (scaled) latency: still running when SIGTERM arrives.
  const streams = Array.from({ length: 5 }, () =>
    fetch(`${url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'auto', stream: true, max_tokens: 60, messages: [{ role: 'user', content: 'Tell me a story' }] }),
    }).then(async (r) => ({ status: r.status, body: await r.text() })),
  );
  await new Promise((r) => setTimeout(r, 150));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const results = await Promise.all(streams);
  assert.equal(await exited, 0, output);
  for (const r of results) {
    assert.equal(r.status, 200);
    assert.ok(r.body.trimEnd().endsWith('data: [DONE]'), 'every in-flight stream completed');
  }
  const db = new Database(ledgerPath, { readonly: true });
  const n = (db.prepare("SELECT count(*) AS n FROM ledger WHERE outcome = 'ok'").get() as { n: number }).n;
  db.close();
  assert.equal(n, 5);
});
