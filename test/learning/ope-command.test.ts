import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { OpeReport } from '../../src/learning/ope.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

/** A uniform-random logging policy over two arms: `good` always satisfies at $0.01, `cheap` half the time at $0.001. */
const writeLog = (path: string): void => {
  const lines: string[] = [];
  for (let i = 0; i < 400; i++) {
    const arm = i % 2 === 0 ? 'good' : 'cheap';
    const id = `d${i}`;
    lines.push(JSON.stringify({ decision: { decisionId: id, ts: 1_700_000_000_000 + i, tenant: 't', route: i < 300 ? 'auto' : 'other', chosen: arm, propensity: 0.5, context: [1, (i % 7) / 7], costMicroUsd: arm === 'good' ? 10_000 : 1_000 } }));
    lines.push(JSON.stringify({ feedback: { decisionId: id, tenant: 't', metric: 'score', value: arm === 'good' || i % 4 === 1 ? 1 : 0, source: 'user', ts: 0 } }));
  }
  writeFileSync(path, lines.join('\n'));
};

test('switchyard ope on an exported decision log: the fixed candidate\'s value, the route filter, the report file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-ope-'));
  writeLog(join(dir, 'log.jsonl'));
  writeFileSync(join(dir, 'policy.json'), JSON.stringify({ kind: 'fixed', target: 'good' }));
  const { stdout } = await run(process.execPath, [MAIN, 'ope', '--policy', join(dir, 'policy.json'), '--log', join(dir, 'log.jsonl'), '--route', 'auto', '--out', join(dir, 'r.json')]);
  const r = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as OpeReport;
  assert.equal(r.decisions, 300);
  assert.ok(Math.abs((r.quality?.snips ?? 0) - 1) < 1e-9, 'always-good has quality 1');
  assert.ok(Math.abs(r.costUsd.snips - 0.01) < 1e-9);
  assert.ok(Math.abs((r.quality?.ips ?? 0) - 1) < 0.05 && Math.abs((r.quality?.dr ?? 0) - 1) < 0.05);
  assert.ok(Math.abs(r.effectiveSampleSize - 150) < 1, 'half the log supports the candidate');
  assert.match(stdout, /\| candidate, DR \|/);
});

test('switchyard ope: bad input is a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-ope-'));
  writeFileSync(join(dir, 'bad-policy.json'), JSON.stringify({ kind: 'magic' }));
  writeFileSync(join(dir, 'log.jsonl'), '{"decision": {"decisionId": "x"}}\n');
  await assert.rejects(run(process.execPath, [MAIN, 'ope', '--policy', join(dir, 'bad-policy.json'), '--log', join(dir, 'log.jsonl')]), /--policy: .*kind/);
  writeFileSync(join(dir, 'p.json'), JSON.stringify({ kind: 'fixed', target: 'a' }));
  await assert.rejects(run(process.execPath, [MAIN, 'ope', '--policy', join(dir, 'p.json'), '--log', join(dir, 'log.jsonl')]), /log.jsonl:1: /);
  await assert.rejects(run(process.execPath, [MAIN, 'ope', '--policy', join(dir, 'p.json')]), /give exactly one source/);
});

test('switchyard ope --db reads the decision log and feedback the gateway wrote', async () => {
  const { startTestGateway } = await import('../helpers/start-test-gateway.js');
  const gw = await startTestGateway();
  try {
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: `question ${i}` }] }) });
      await res.arrayBuffer();
      const fb = await fetch(`${gw.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decision_id: res.headers.get('x-switchyard-decision-id'), metric: 'score', value: i % 2 }) });
      assert.equal(fb.status, 202);
    }
  } finally {
    await gw.close();
  }
  const dir = mkdtempSync(join(tmpdir(), 'sy-ope-db-'));
  writeFileSync(join(dir, 'p.json'), JSON.stringify({ kind: 'fixed', target: 'small' }));
  await run(process.execPath, [MAIN, 'ope', '--policy', join(dir, 'p.json'), '--db', gw.ledgerPath, '--route', 'auto', '--out', join(dir, 'r.json')]);
  const r = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as OpeReport;
  assert.equal(r.decisions, 6);
  assert.equal(r.withFeedback, 6);
  assert.equal(r.matchRate, 1, 'the fixed route chose small every time');
  assert.equal(r.quality?.ips, 0.5);
  assert.ok(r.costUsd.ips > 0);
});
