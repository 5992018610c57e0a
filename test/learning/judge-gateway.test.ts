import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { DEFAULT_RUBRIC, renderRubric } from '../../src/learning/judge-rubric.js';
import { startTestGateway } from '../helpers/start-test-gateway.js';

const QUESTION = 'What is the capital of France?';

/**
 * The judge end to end with the simulator as the judge model: the dataset gives `small`'s answer to
 * the question and the judge's canned grade for exactly that question and answer, so the grade the
 * gateway records is known in advance.
 */
test('a sampled answer is graded by the judge model: judge feedback for its decision, an overhead row in the ledger', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-judge-'));
  const data = join(dir, 'judge-set.jsonl');
  writeFileSync(data, [
    { id: 'q', task: 'qa', messages: [{ role: 'user', content: QUESTION }], scores: { small: 1 }, responses: { small: 'Paris.' } },
    { id: 'j', task: 'judge', messages: [{ role: 'user', content: renderRubric(DEFAULT_RUBRIC, QUESTION, 'Paris.') }], scores: { judge: null }, responses: { judge: 'The answer is correct.\nScore: 9' } },
  ].map((r) => JSON.stringify(r)).join('\n'));
  const gw = await startTestGateway({
    providers: { sim: { kind: 'simulator', latencyScale: 0, dataset: data } },
    models: [
      { id: 'small', provider: 'sim', prices: { input: 0.2, output: 0.6 } },
      { id: 'judge', provider: 'sim', prices: { input: 1, output: 2 } },
    ],
    routes: [{ name: 'auto', targets: ['small'] }],
    learning: { judge: { enabled: true, model: 'judge', budgetUsdPerDay: 1 } },
  });
  try {
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: QUESTION }] }) });
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    assert.equal(body.choices[0]?.message.content, 'Paris.');
    const decisionId = res.headers.get('x-switchyard-decision-id');
    // The request-end event (and so the sampling) follows the response: wait until the judge has it.
    for (let i = 0; i < 200 && (gw.extras.judge?.counts().scored ?? 0) === 0; i++) await sleep(10);
    assert.equal(gw.extras.judge?.counts().scored, 1);
    await gw.learning.flush();
    await gw.flushLedger();
    const db = new Database(gw.ledgerPath, { readonly: true });
    const fb = db.prepare("SELECT decision_id, metric, value, source FROM feedback WHERE source = 'judge'").all() as Array<{ decision_id: string; metric: string; value: number }>;
    const rows = db.prepare("SELECT decision_id, target, tags, cost_micro_usd, outcome FROM ledger WHERE route = '_judge'").all() as Array<{ decision_id: string; target: string; tags: string; cost_micro_usd: number; outcome: string }>;
    db.close();
    assert.deepEqual(fb, [{ decision_id: decisionId, metric: 'score', value: 8 / 9, source: 'judge' }]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.decision_id, decisionId);
    assert.equal(rows[0]?.target, 'judge');
    assert.equal(JSON.parse(rows[0]?.tags ?? '{}').overhead, 'judge');
    assert.ok((rows[0]?.cost_micro_usd ?? 0) > 0, 'the judge call is billed as overhead');
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    assert.match(metrics, /switchyard_judge_outcomes_total\{outcome="scored"\} 1/);
  } finally {
    await gw.close();
  }
});

test('an enabled judge without a catalog model is a config error', async () => {
  await assert.rejects(startTestGateway({ learning: { judge: { enabled: true } } }), /learning\.judge\.model/);
  await assert.rejects(startTestGateway({ learning: { judge: { enabled: true, model: 'nope' } } }), /'nope' is not a catalog model/);
});
