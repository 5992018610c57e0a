import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { extractFeatures } from '../../src/routing/extract-features.js';
import { saveQualityEstimator, trainQualityEstimator, type LabelledAnswer } from '../../src/learning/quality-estimator.js';
import { startTestGateway } from '../helpers/start-test-gateway.js';

/** An estimator that has learned to distrust `small` and to trust `large`, whatever they say. */
const trainedEstimator = async (): Promise<string> => {
  const features = extractFeatures({ model: 'm', messages: [{ role: 'user', content: 'Tell me about the weather in Paris' }], stream: false, includeUsage: false });
  const examples: LabelledAnswer[] = Array.from({ length: 400 }, (_, i) => {
    const model = i % 2 ? 'small' : 'large';
    return { input: { features, responseText: `Simulated answer ${i % 7}`, finishReason: 'stop', model }, label: model === 'large' ? 1 : 0 };
  });
  const path = join(mkdtempSync(join(tmpdir(), 'sy-est-gw-')), 'estimator.json');
  await saveQualityEstimator(path, trainQualityEstimator(examples, 'synthetic').file);
  return path;
};

test('the estimator as the cascade scorer escalates, scores answers as weak feedback, and meets user labels per segment', async () => {
  const gw = await startTestGateway({
    routes: [{ name: 'cascade', targets: ['small', 'large'], policy: { type: 'cascade', order: 'configured', scorer: 'estimator', acceptAt: 0.5 } }],
    learning: { estimator: { path: await trainedEstimator() } },
  });
  try {
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'cascade', messages: [{ role: 'user', content: 'Tell me about the weather in Paris' }] }) });
    await res.arrayBuffer();
    assert.equal(res.headers.get('x-switchyard-model'), 'large', 'small scored low and the cascade escalated');
    const decisionId = res.headers.get('x-switchyard-decision-id') ?? '';
    const fb = await fetch(`${gw.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decision_id: decisionId, metric: 'score', value: 0 }) });
    assert.equal(fb.status, 202);
    for (let i = 0; i < 200 && !gw.extras.segments?.view()['all']; i++) await sleep(10);
    const all = gw.extras.segments?.view()['all'];
    assert.equal(all?.n, 1);
    assert.equal(all?.agreement, 0, 'the estimator trusted large; the user said no');
    assert.ok((all?.calibrationGap ?? 0) > 0.5);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    assert.match(metrics, /switchyard_estimator_agreement\{segment="route:cascade"\} 0/);
    const view = (await (await fetch(`${gw.url}/admin/learning`)).json()) as { estimator: Record<string, { n: number }>; judge: null };
    assert.equal(view.estimator['all']?.n, 1, 'the admin view shows the same per-segment confidence');
    assert.equal(view.judge, null);
  } finally {
    await gw.close();
  }
});

test('what the estimator learns online from user feedback is snapshotted at a graceful stop and restored by the next start', async () => {
  const path = await trainedEstimator();
  const config = {
    routes: [{ name: 'cascade', targets: ['small', 'large'], policy: { type: 'cascade' as const, order: 'configured' as const, scorer: 'estimator', acceptAt: 0.5 } }],
    learning: { estimator: { path, onlineLearningRate: 0.5 } },
  };
  const versionsOf = async (url: string): Promise<Array<{ id: string; kind: string; status: string }>> =>
    ((await (await fetch(`${url}/admin/policies?route=learning.estimator`)).json()) as { data: Array<{ id: string; kind: string; status: string }> }).data;
  const first = await startTestGateway(config);
  let active: { id: string; kind: string } | undefined;
  try {
    assert.deepEqual((await versionsOf(first.url)).map((v) => v.kind), ['initial']);
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${first.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'cascade', messages: [{ role: 'user', content: 'Tell me about the weather in Paris' }] }) });
      await res.arrayBuffer();
      // People accept what the estimator distrusted.
      const fb = await fetch(`${first.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decision_id: res.headers.get('x-switchyard-decision-id'), metric: 'score', value: 1 }) });
      assert.equal(fb.status, 202);
    }
    for (let i = 0; i < 200 && (gwSegments(first) ?? 0) < 3; i++) await sleep(10);
  } finally {
    await first.close();
  }
  const second = await startTestGateway({ ...config, ledger: { driver: 'sqlite', path: first.ledgerPath, flushIntervalMs: 20 } });
  try {
    const versions = await versionsOf(second.url);
    active = versions.find((v) => v.status === 'active');
    assert.equal(active?.kind, 'online-update', 'the stop snapshotted what was learned');
    assert.deepEqual(versions.map((v) => v.kind).sort(), ['initial', 'online-update'], 'the restart continued it: no new initial version');
  } finally {
    await second.close();
  }
});

const gwSegments = (gw: Awaited<ReturnType<typeof startTestGateway>>): number | undefined => gw.extras.segments?.view()['all']?.n;

test('config check accepts a cascade scored by the estimator, exactly as serve does, and names a missing estimator', async () => {
  const main = fileURLToPath(new URL('../../src/main.js', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'sy-est-check-'));
  const file = (estimator: string): string => {
    const path = join(dir, `${estimator ? 'with' : 'without'}.yaml`);
    writeFileSync(path, [
      'providers: { sim: { kind: simulator } }',
      'models:',
      '  - { id: small, provider: sim, prices: { input: 0.2, output: 0.6 } }',
      '  - { id: large, provider: sim, prices: { input: 10, output: 30 } }',
      'routes:',
      '  - { name: cascade, targets: [small, large], policy: { type: cascade, scorer: estimator } }',
      estimator ? `learning: { estimator: { path: "${estimator}" } }` : '',
    ].join('\n'));
    return path;
  };
  const run = promisify(execFile);
  const ok = await run(process.execPath, [main, 'config', 'check', file(await trainedEstimator())]);
  assert.match(ok.stdout, /: ok/);
  await assert.rejects(run(process.execPath, [main, 'config', 'check', file('')]), (err: { stderr: string }) => /estimator/.test(err.stderr));
});
