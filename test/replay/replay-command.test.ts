import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { syntheticRoutingSet } from '../helpers/synthetic-dataset.js';
import type { ReplayReport } from '../../src/replay/replay.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

/**
 * The whole replay through a real gateway: synthetic prompts where `small` fails every proof, a
 * route pinned to `large`, a shift from translations only to proofs only. The learning policy's
 * numbers must be the dataset's outcomes of what the gateway served, the best fixed model must
 * switch with the mix, and the static policy (trained on the train part) must route by task.
 */
test('replay through the gateway: windows, best fixed model per window, static policy, plot', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-replay-'));
  writeFileSync(join(dir, 'set.jsonl'), syntheticRoutingSet());
  writeFileSync(join(dir, 'prices.json'), JSON.stringify({ small: { input_per_mtok: 0.1, output_per_mtok: 0.1 }, large: { input_per_mtok: 10, output_per_mtok: 10 } }));
  await run(process.execPath, [MAIN, 'replay', '--data', join(dir, 'set.jsonl'), '--prices', join(dir, 'prices.json'), '--requests', '300',
    '--mix', 'translate=1', '--shift', '150:proof=1', '--policy', '{"type":"fixed"}', '--window', '50', '--feedback-delay', '5',
    '--out', join(dir, 'r.json'), '--plot', join(dir, 'r.svg')]);
  const r = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as ReplayReport;
  assert.equal(r.requests, 300);
  assert.equal(r.windows.length, 6);
  assert.equal(r.errors, 0);
  assert.equal(r.feedback.posted + r.feedback.rejected, 300, 'every answer got its feedback (rate 1)');
  // Fixed policy: first target in the route, `large`, always right at $0.01.
  for (const w of r.windows) assert.ok(Math.abs((w.learning.costPerSuccess ?? 0) - 0.01) < 1e-9);
  assert.deepEqual(r.windows[0]?.taskMix, { translate: 1 });
  assert.equal(r.before?.bestFixed.model, 'small', 'translations: small is right and cheap');
  assert.equal(r.after?.bestFixed.model, 'large', 'proofs: only large is right');
  assert.equal(r.after?.static.quality, 1, 'the trained static policy sends proofs to large');
  assert.ok((r.before?.static.costUsd ?? 1) < 0.01 * 150 * 0.5, 'and translations to small');
  assert.equal(r.recoveredAt, 200, 'pinned to large, the learning route matches the best fixed model after the shift');
  assert.ok(readFileSync(join(dir, 'r.svg'), 'utf8').startsWith('<svg'));
  rmSync(dir, { recursive: true, force: true });
});

test('replay: bad arguments are clear errors', async () => {
  await assert.rejects(run(process.execPath, [MAIN, 'replay', '--data', 'x.jsonl', '--requests', '0', '--out', '/tmp/x.json']), /--requests: expected an integer/);
  await assert.rejects(run(process.execPath, [MAIN, 'replay', '--data', 'x.jsonl', '--requests', '5', '--shift', 'soon', '--out', '/tmp/x.json']), /--shift: expected AT:TASKMIX/);
});
