import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Ceiling } from '../../src/eval/task-ceiling.js';
import { syntheticRoutingSet } from '../helpers/synthetic-dataset.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));
const ROUTERBENCH = fileURLToPath(new URL('../../../../shared/data/routerbench/routerbench.jsonl.gz', import.meta.url));

interface Report {
  baselines: Record<string, { quality: number; cost_usd: number }>;
  oracle: { quality: number; cost_usd: number };
  policies: Record<string, {
    curve: Array<{ cost_usd: number; quality: number; param: number }>; aiq: number; costRatioAtBestQuality: number | null; qualityAtBestCost: number | null;
    qualityAt30PctCost: number | null; mixed: { costRatioAtBestQuality: number | null; qualityAt30PctCost: number | null }; singleModelsAbove: string[];
  }>;
  references: Record<string, { aiq: number }>;
  predictions: { qualityAuc: number | null; qualityAucWithinTask: number | null; costMeanAbsLogRatio: number | null };
  ceiling: Ceiling;
}

test('eval on a learnable synthetic set: report keys, curves, and routing beats the single models', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-eval-'));
  writeFileSync(join(dir, 'set.jsonl'), syntheticRoutingSet());
  await run(process.execPath, [MAIN, 'eval', '--data', join(dir, 'set.jsonl'), '--split', 'auto', '--out', join(dir, 'r.json'), '--plot', join(dir, 'p.svg')]);
  const r = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  assert.deepEqual(Object.keys(r.baselines).sort(), ['large', 'small']);
  for (const name of ['envelope', 'utility', 'classifier']) {
    const p = r.policies[name];
    assert.ok(p && p.curve.length > 5, name);
    assert.ok(p.curve.every((c) => typeof c.cost_usd === 'number' && typeof c.quality === 'number' && typeof c.param === 'number'));
    assert.equal(typeof p.aiq, 'number');
    // Large is perfect here; a router reaches its quality at a fraction of its cost.
    assert.ok(p.costRatioAtBestQuality !== null && p.costRatioAtBestQuality < 0.6, `${name}: ${p.costRatioAtBestQuality}`);
    // Mixing two operating points can only help.
    assert.ok(p.mixed.costRatioAtBestQuality !== null && p.mixed.costRatioAtBestQuality <= p.costRatioAtBestQuality + 1e-9);
    assert.ok(Array.isArray(p.singleModelsAbove));
  }
  assert.ok((r.predictions.qualityAuc ?? 0) > 0.6, 'the learnable set is learned');
  assert.ok(readFileSync(join(dir, 'p.svg'), 'utf8').startsWith('<svg'));
});

test('eval simulates the cascade when the set records answers, and says why not when it does not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-eval-cascade-'));
  writeFileSync(join(dir, 'with.jsonl'), syntheticRoutingSet(600, { responses: true }));
  writeFileSync(join(dir, 'without.jsonl'), syntheticRoutingSet());
  await run(process.execPath, [MAIN, 'eval', '--data', join(dir, 'with.jsonl'), '--split', 'auto', '--out', join(dir, 'r.json'), '--plot', join(dir, 'p.svg')]);
  const r = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  const cascade = r.policies['cascade'];
  assert.ok(cascade, 'a cascade curve');
  // small's hedged proofs are escalated, its translations kept: large's quality for small's cost plus a third of large's.
  assert.ok(cascade.costRatioAtBestQuality !== null && cascade.costRatioAtBestQuality < 0.5, `cascade: ${cascade.costRatioAtBestQuality}`);
  const { stderr } = await run(process.execPath, [MAIN, 'eval', '--data', join(dir, 'without.jsonl'), '--split', 'auto', '--out', join(dir, 'r2.json')]);
  assert.match(stderr, /cascade: not simulated .* no response texts/);
  assert.match(stderr, /panel: not simulated .* no response texts/);
  assert.equal((JSON.parse(readFileSync(join(dir, 'r2.json'), 'utf8')) as Report).policies['cascade'], undefined);
});

test('eval replays a cascade panel on recorded answers: agreement keeps the cheap answer, the train split chooses the panel', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-eval-panel-'));
  // Easy prompts: both cheap models answer B (right); every third prompt they split A/C (wrong), only `strong` says B.
  const lines = Array.from({ length: 300 }, (_, i) => {
    const hard = i % 3 === 0;
    return JSON.stringify({
      id: `q${i}`, task: 'mc', messages: [{ role: 'user', content: `Question ${i}: pick A, B or C` }],
      scores: { a: hard ? 0 : 1, b: hard ? 0 : 1, strong: 1 }, cost_usd: { a: 0.0001, b: 0.0002, strong: 0.01 },
      responses: { a: hard ? 'A' : 'B', b: hard ? '(C)' : 'b)', strong: 'B' },
    });
  });
  writeFileSync(join(dir, 'set.jsonl'), lines.join('\n'));
  const { stdout } = await run(process.execPath, [MAIN, 'eval', '--data', join(dir, 'set.jsonl'), '--split', 'auto', '--policies', 'panel,utility+panel', '--out', join(dir, 'r.json')]);
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  const policies = report.policies;
  const panel = policies['panel'];
  assert.ok(panel, 'a panel curve');
  // Strong's quality for both cheap answers plus strong's cost on the hard third (by id hash, 40% of the test split).
  assert.ok(panel.costRatioAtBestQuality !== null && panel.costRatioAtBestQuality < 0.5, `panel: ${panel.costRatioAtBestQuality}`);
  // The prompts do not say which are hard, so utility sends them to strong: the panel in front of it does the same.
  const guarded = policies['utility+panel'];
  assert.ok(guarded && guarded.costRatioAtBestQuality !== null && guarded.costRatioAtBestQuality < 0.5, `utility+panel: ${guarded?.costRatioAtBestQuality}`);
  assert.match(stdout, /utility\+panel chosen on train folds for strong's quality: a\+b, λ [\d.]+ \(out of fold 1\.000/);
  assert.match(stdout, /panel chosen on train for strong's quality: a\+b>strong \(on train 1\.000 at \d\d\.\d%\); on test 1\.000 at \d\d\.\d%/);
  // The hindsight ceiling tries the same panel (among others): strong's quality for well under its cost.
  assert.equal(report.ceiling.panels, true);
  assert.ok(report.ceiling.costShareAtReferenceQuality !== null && report.ceiling.costShareAtReferenceQuality < 0.5, `ceiling: ${report.ceiling.costShareAtReferenceQuality}`);
  assert.match(stdout, /ceiling \(not a policy: .* or panel per task .*\): 0\.\d{3} within 30% of strong's cost; its quality at \d\d\.\d% of its cost/);
});

test('bad arguments are clear errors', async () => {
  await assert.rejects(run(process.execPath, [MAIN, 'eval', '--data', 'x.jsonl', '--out', '/tmp/x.json', '--policies', 'magic']), /unknown magic/);
});

test('RouterBench test split: figures in the expected range', { skip: existsSync(ROUTERBENCH) ? false : `RouterBench not found at ${ROUTERBENCH}` }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-eval-rb-'));
  await run(process.execPath, [MAIN, 'eval', '--data', ROUTERBENCH, '--out', join(dir, 'r.json')]);
  const r = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  const gpt4 = r.baselines['gpt-4-1106-preview'];
  assert.ok(gpt4 && Math.abs(gpt4.quality - 0.874) < 0.005, 'always-GPT-4 quality matches the data README');
  assert.ok(Math.abs(r.oracle.quality - 0.974) < 0.01);
  const utility = r.policies['utility'];
  assert.ok((utility?.aiq ?? 0) > 0.8);
  assert.deepEqual(utility?.singleModelsAbove, [], 'utility is at or above every single model (with mixing, as the hull)');
  assert.ok((r.references['task-labels']?.aiq ?? 0) > 0.8, 'the task-label reference is reported');
  assert.ok((r.predictions.costMeanAbsLogRatio ?? 1) < 0.2, 'learned cost per cluster is within ~20% of the real cost');
  // What limits the target: even the best single model per task, chosen with hindsight on test, stays under GPT-4 at 30% of its cost.
  assert.equal(r.ceiling.panels, false);
  assert.deepEqual(r.ceiling.tasks.map((t) => t.task).sort(), ['arc-challenge', 'mbpp', 'winogrande']);
  assert.ok(r.ceiling.qualityAtShare < gpt4.quality, `ceiling ${r.ceiling.qualityAtShare}`);
});
