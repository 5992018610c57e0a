import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { defaultConfigTree } from '../../src/config/default-config.js';
import type { DatasetRecord } from '../../src/datasets/dataset-record.js';
import { loadDataset } from '../../src/datasets/load-dataset.js';
import { loadJsonl } from '../../src/datasets/load-jsonl.js';
import { guardedUtilitySweep } from '../../src/eval/guarded-utility.js';
import { prepareRecords } from '../../src/eval/prepare-records.js';
import { toArtifactFile } from '../../src/eval/to-artifact-file.js';
import { predict, servedArtifact, trainRouter } from '../../src/eval/train-router.js';
import { chooseByFloor } from '../../src/routing/choose-target.js';
import { saveArtifact } from '../../src/routing/router-artifact.js';
import { startTestGateway } from '../helpers/start-test-gateway.js';

const DATA = fileURLToPath(new URL('../../../../shared/data/routerbench/routerbench.jsonl.gz', import.meta.url));
const N = 120;
const FLOOR = 0.7;

/**
 * A router trained on the set's train split, saved as an artefact, and a gateway over the default
 * catalog's models, simulated with the set's recorded outcomes, with one route per policy given.
 */
const trainAndServe = async (data: string, records: readonly DatasetRecord[], policies: (artifact: string) => Record<string, Record<string, unknown>>) => {
  const train = prepareRecords(records.filter((r) => r.split === 'train'));
  const router = trainRouter(train);
  const artifact = join(mkdtempSync(join(tmpdir(), 'sy-rb-')), 'router.json');
  await saveArtifact(artifact, toArtifactFile(router, data, train.length));
  const models = defaultConfigTree().models ?? [];
  const gw = await startTestGateway({
    providers: { sim: { kind: 'simulator', latencyScale: 0, dataset: data } },
    models: models.map((m) => ({ ...m, provider: 'sim' })),
    routes: Object.entries(policies(artifact)).map(([name, policy]) => ({ name, targets: models.map((m) => m.id), policy })),
  });
  return { router, gw };
};

/**
 * Real prompts through the real gateway: the simulator answers with RouterBench's recorded
 * outcomes, the envelope policy routes with an artefact trained on the train split. The gateway's
 * choices must be the ones `eval` makes offline, and the ledger's cost must match the dataset's
 * real cost of the chosen models.
 */
test('RouterBench prompts through the gateway: choices match eval, ledger cost matches the data', { skip: existsSync(DATA) ? false : `RouterBench not found at ${DATA}` }, async () => {
  const records = await loadJsonl(DATA);
  const testRecords = records.filter((r) => r.split === 'test').slice(0, N);
  const { router, gw } = await trainAndServe(DATA, records, (artifact) => ({
    smart: { type: 'envelope', artifact, qualityFloor: FLOOR },
    pair: { type: 'classifier', artifact, threshold: 0.5 },
  }));
  try {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const prepared = prepareRecords(testRecords);
    const served = servedArtifact(router);
    const classifier = router.classifier;
    assert.ok(classifier, 'training fits the two-model classifier');
    // Each route's offline choice, as `switchyard eval` makes it.
    const offline: Record<string, (i: number) => string | undefined> = {
      smart: (i) => chooseByFloor(predict(served, prepared[i]!), FLOOR)?.model,
      pair: (i) => (classifier.model.predict(prepared[i]!.vector) >= 0.5 ? classifier.small : classifier.large),
    };
    const db = new Database(gw.ledgerPath, { readonly: true });
    for (const [route, choose] of Object.entries(offline)) {
      let agree = 0;
      let datasetCost = 0;
      let quality = 0;
      for (const [i, r] of testRecords.entries()) {
        const { response } = await client.chat.completions.create({ model: route, messages: r.messages as OpenAI.ChatCompletionMessageParam[] }).withResponse();
        const chosen = response.headers.get('x-switchyard-model') ?? '';
        if (chosen === choose(i)) agree += 1;
        datasetCost += r.costUsd?.[chosen] ?? 0;
        quality += r.scores[chosen] ?? 0;
      }
      await gw.flushLedger();
      const ledgerUsd = (db.prepare('SELECT sum(cost_micro_usd) AS c FROM ledger WHERE route = ?').get(route) as { c: number }).c / 1e6;
      console.log(`RouterBench ${N} test prompts, ${route}: agreement ${agree}/${N}, quality ${(quality / N).toFixed(3)}, ledger $${ledgerUsd.toFixed(4)} vs dataset $${datasetCost.toFixed(4)}`);
      assert.ok(agree >= N * 0.95, `${route}: gateway and eval agree on ${agree}/${N} choices`);
      assert.ok(Math.abs(ledgerUsd - datasetCost) / datasetCost < 0.1, `${route}: ledger $${ledgerUsd} vs dataset $${datasetCost}`);
    }
    db.close();
  } finally {
    await gw.close();
  }
});

const RAW = fileURLToPath(new URL('../../../../shared/data/routerbench/raw', import.meta.url));
const LAMBDA = 8.65;
const MEMBERS = ['mistralai/mixtral-8x7b-chat', 'zero-one-ai/Yi-34B-Chat'];

/**
 * The envelope's panel through the real gateway on RouterBench (the raw CSVs: the simulator answers
 * with each model's recorded answer text): the model whose answer is served must be the one
 * `switchyard eval --policies utility+panel` replays offline, and the ledger's cost its cost.
 */
test('RouterBench through the gateway, utility with a panel: served answers and cost match the offline replay', { skip: existsSync(RAW) ? false : `RouterBench raw CSVs not found at ${RAW}` }, async () => {
  const records = await loadDataset(RAW);
  // Every eighth test prompt: ARC, Winogrande and MBPP alike.
  const testRecords = records.filter((r) => r.split === 'test').filter((_, i) => i % 8 === 0).slice(0, N);
  const { router, gw } = await trainAndServe(RAW, records, (artifact) => ({
    guarded: { type: 'envelope', mode: 'utility', lambda: LAMBDA, artifact, panel: { members: MEMBERS, incomparable: 'accept' } },
  }));
  try {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const prepared = prepareRecords(testRecords);
    const served = servedArtifact(router);
    const texts = new Map(testRecords.map((r) => [r.id, r.responses ?? {}]));
    const offline = guardedUtilitySweep(prepared, new Map(prepared.map((r) => [r.id, predict(served, r)])), [LAMBDA],
      [{ members: MEMBERS, strong: 'gpt-4-1106-preview', incomparable: 'accept' }], (id, m) => texts.get(id)?.[m])[0];
    assert.ok(offline);
    let quality = 0;
    for (const r of testRecords) {
      const { response } = await client.chat.completions.create({ model: 'guarded', messages: r.messages as OpenAI.ChatCompletionMessageParam[] }).withResponse();
      quality += r.scores[response.headers.get('x-switchyard-model') ?? ''] ?? 0;
    }
    await gw.flushLedger();
    const db = new Database(gw.ledgerPath, { readonly: true });
    const ledgerUsd = (db.prepare('SELECT sum(cost_micro_usd) AS c FROM ledger WHERE route = ?').get('guarded') as { c: number }).c / 1e6;
    // A paneled request has a row per member (two or more rows).
    const paneled = (db.prepare('SELECT count(*) AS n FROM (SELECT request_id FROM ledger WHERE route = ? GROUP BY request_id HAVING count(*) >= 2)').get('guarded') as { n: number }).n;
    db.close();
    console.log(`RouterBench ${testRecords.length} test prompts, utility λ ${LAMBDA} + panel: quality ${(quality / testRecords.length).toFixed(3)} (offline ${offline.quality.toFixed(3)}), ledger $${ledgerUsd.toFixed(4)} (offline $${offline.cost_usd.toFixed(4)}), ${paneled} paneled`);
    const n = testRecords.length;
    assert.ok(Math.abs(quality / n - offline.quality) <= 0.03, `quality ${quality / n} vs offline ${offline.quality}`);
    assert.ok(Math.abs(ledgerUsd - offline.cost_usd) / offline.cost_usd < 0.1, `ledger $${ledgerUsd} vs offline $${offline.cost_usd}`);
    assert.ok(paneled > 0 && paneled < n, `${paneled} of ${n} paneled: expensive choices only`);
  } finally {
    await gw.close();
  }
});
