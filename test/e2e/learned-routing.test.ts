import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startTestGateway } from '../helpers/start-test-gateway.js';
import { syntheticRoutingSet } from '../helpers/synthetic-dataset.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

test('switchyard train → envelope policy in the gateway: hard prompts go to the strong model, easy ones to the cheap one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-learned-'));
  writeFileSync(join(dir, 'set.jsonl'), syntheticRoutingSet());
  const artifact = join(dir, 'router.json');
  const { stdout } = await run(process.execPath, [MAIN, 'train', '--data', join(dir, 'set.jsonl'), '--split', 'auto', '--out', artifact]);
  assert.match(stdout, /artefact [0-9a-f]{10}/);
  const gw = await startTestGateway({
    models: [
      { id: 'small', provider: 'sim', prices: { input: 0.2, output: 0.6 }, contextWindow: 8_192 },
      { id: 'large', provider: 'sim', prices: { input: 10, output: 30 }, contextWindow: 128_000 },
    ],
    routes: [{ name: 'smart', targets: ['small', 'large'], policy: { type: 'envelope', artifact, qualityFloor: 0.7 } }],
  });
  try {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const ask = async (content: string, headers: Record<string, string> = {}) => {
      const { response } = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content }] }, { headers }).withResponse();
      return { model: response.headers.get('x-switchyard-model'), policy: response.headers.get('x-switchyard-policy') };
    };
    assert.equal((await ask('Translate the word number 9001 into French')).model, 'small');
    const hard = await ask('Prove the theorem about prime number 9002 step by step');
    assert.equal(hard.model, 'large');
    assert.match(hard.policy ?? '', /^envelope@/);
    // A request-level floor of 0 accepts the cheap model even for the hard prompt.
    assert.equal((await ask('Prove the theorem about prime number 9003 step by step', { 'x-switchyard-quality-floor': '0' })).model, 'small');
  } finally {
    await gw.close();
  }
});

test('a missing artefact is a start-up error naming the route', async () => {
  await assert.rejects(
    startTestGateway({ routes: [{ name: 'smart', targets: ['small', 'large'], policy: { type: 'envelope', artifact: '/nonexistent/router.json' } }] }),
    /routes\[0\]\.policy: cannot read router artefact \/nonexistent\/router.json/,
  );
});

test('switchyard train → classifier policy: P(small is good enough) splits easy and hard prompts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-classifier-'));
  writeFileSync(join(dir, 'set.jsonl'), syntheticRoutingSet());
  const artifact = join(dir, 'router.json');
  await run(process.execPath, [MAIN, 'train', '--data', join(dir, 'set.jsonl'), '--split', 'auto', '--out', artifact]);
  const gw = await startTestGateway({ routes: [{ name: 'pair', targets: ['small', 'large'], policy: { type: 'classifier', artifact } }] });
  try {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const modelFor = async (content: string) =>
      (await client.chat.completions.create({ model: 'pair', messages: [{ role: 'user', content }] }).withResponse()).response.headers.get('x-switchyard-model');
    assert.equal(await modelFor('Translate the word number 7001 into French'), 'small');
    assert.equal(await modelFor('Prove the theorem about prime number 7002 step by step'), 'large');
  } finally {
    await gw.close();
  }
});

test('cascade: a truncated cheap answer escalates; both attempts are in the ledger, billed', async () => {
  const gw = await startTestGateway({
    routes: [
      // `small@tight` can write 2 tokens: its answers are cut by max tokens and fail the rules check.
      { name: 'cascade', targets: [{ model: 'small', label: 'tight', params: { maxTokens: 2 } }, 'large'], policy: { type: 'cascade' } },
      { name: 'cascade-ok', targets: ['large', 'small'], policy: { type: 'cascade' } },
    ],
  });
  try {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const ask = async (model: string) => {
      const { data, response } = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Tell me about the sea' }] }).withResponse();
      return { data, target: response.headers.get('x-switchyard-target'), decision: response.headers.get('x-switchyard-decision-id'), cost: Number(response.headers.get('x-switchyard-cost-usd')) };
    };
    const escalated = await ask('cascade');
    assert.equal(escalated.target, 'large');
    assert.equal(escalated.data.choices[0]?.finish_reason, 'stop');
    const accepted = await ask('cascade-ok');
    assert.equal(accepted.target, 'small', 'cheapest first even when listed last; a good answer is kept');
    await gw.flushLedger();
    const db = new Database(gw.ledgerPath, { readonly: true });
    const rows = (id: string | null) => db.prepare('SELECT attempt, target, cost_micro_usd AS cost, output_tokens AS out FROM ledger WHERE decision_id = ? ORDER BY attempt').all(id) as Array<{ attempt: number; target: string; cost: number; out: number }>;
    const e = rows(escalated.decision);
    assert.deepEqual(e.map((r) => [r.attempt, r.target]), [[1, 'small@tight'], [2, 'large']]);
    assert.equal(e[0]?.out, 2);
    assert.ok(e.every((r) => r.cost > 0), 'both attempts are billed');
    assert.ok(Math.abs(e.reduce((a, r) => a + r.cost, 0) / 1e6 - escalated.cost) < 2e-6, 'the response header bills both attempts');
    assert.deepEqual(rows(accepted.decision).map((r) => r.target), ['small']);
    db.close();
  } finally {
    await gw.close();
  }
});

test('cascade panel: two cheap models agreeing answer for the strong one; disagreement escalates; every answer billed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-panel-'));
  const data = join(dir, 'set.jsonl');
  const record = (id: string, content: string, responses: Record<string, string>) => JSON.stringify({
    id, task: 'arc', messages: [{ role: 'user', content }], scores: { small: 1, medium: 1, large: 1 }, responses,
  });
  writeFileSync(data, [
    record('agree', 'Which gas do plants take in? A) oxygen B) carbon dioxide', { small: 'B', medium: '(b) carbon dioxide', large: 'B' }),
    record('split', 'Which planet is largest? A) Mars B) Jupiter C) Venus', { small: 'A', medium: 'C', large: 'B' }),
  ].join('\n'));
  const gw = await startTestGateway({
    providers: { sim: { kind: 'simulator', latencyScale: 0, dataset: data } },
    routes: [{ name: 'vote', targets: ['small', 'medium', 'large'], policy: { type: 'cascade', order: 'configured', panel: {} } }],
  });
  try {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const ask = async (content: string) => {
      const { data: body, response } = await client.chat.completions.create({ model: 'vote', messages: [{ role: 'user', content }] }).withResponse();
      return { text: body.choices[0]?.message.content, model: response.headers.get('x-switchyard-model'), decision: response.headers.get('x-switchyard-decision-id'), cost: Number(response.headers.get('x-switchyard-cost-usd')) };
    };
    const agreed = await ask('Which gas do plants take in? A) oxygen B) carbon dioxide');
    assert.deepEqual([agreed.model, agreed.text], ['small', 'B']);
    const split = await ask('Which planet is largest? A) Mars B) Jupiter C) Venus');
    assert.deepEqual([split.model, split.text], ['large', 'B']);
    // Streaming clients: the members answer whole; the agreed answer arrives as a stream, with usage.
    const stream = async (content: string) => {
      const { data, response } = await client.chat.completions.create({ model: 'vote', messages: [{ role: 'user', content }], stream: true, stream_options: { include_usage: true } }).withResponse();
      let text = '';
      let usage: number | undefined;
      for await (const chunk of data) {
        text += chunk.choices[0]?.delta.content ?? '';
        if (chunk.usage) usage = chunk.usage.completion_tokens;
      }
      return { text, usage, model: response.headers.get('x-switchyard-model') };
    };
    const streamedAgreement = await stream('Which gas do plants take in? A) oxygen B) carbon dioxide');
    assert.deepEqual([streamedAgreement.model, streamedAgreement.text], ['small', 'B']);
    assert.ok((streamedAgreement.usage ?? 0) > 0);
    assert.deepEqual(await stream('Which planet is largest? A) Mars B) Jupiter C) Venus').then((x) => [x.model, x.text]), ['large', 'B']);
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'unused', maxRetries: 0 });
    const message = await anthropic.messages.stream({ model: 'vote', max_tokens: 64, messages: [{ role: 'user', content: 'Which gas do plants take in? A) oxygen B) carbon dioxide' }] }).finalMessage();
    assert.deepEqual(message.content.map((b) => (b.type === 'text' ? b.text : b.type)), ['B']);
    assert.equal(message.stop_reason, 'end_turn');
    await gw.flushLedger();
    const db = new Database(gw.ledgerPath, { readonly: true });
    const rows = (id: string | null) => db.prepare('SELECT attempt, target, cost_micro_usd AS cost FROM ledger WHERE decision_id = ? ORDER BY attempt').all(id) as Array<{ attempt: number; target: string; cost: number }>;
    const a = rows(agreed.decision);
    assert.deepEqual(a.map((r) => r.attempt), [1, 2]);
    assert.deepEqual(a.map((r) => r.target).sort(), ['medium', 'small'], 'both members answered, the strong model was not asked');
    const s = rows(split.decision);
    assert.deepEqual(s.map((r) => r.attempt), [1, 2, 3]);
    assert.equal(s[2]?.target, 'large');
    assert.ok(s.every((r) => r.cost > 0), 'every answer is billed');
    assert.ok(Math.abs(s.reduce((x, r) => x + r.cost, 0) / 1e6 - split.cost) < 2e-6, 'the response header bills the panel and the escalation');
    db.close();
    const lines = gw.logs.map((l) => JSON.parse(l) as { decisionId?: string; fallbacks?: number }).filter((l) => l.fallbacks !== undefined);
    assert.equal(lines.find((l) => l.decisionId === agreed.decision)?.fallbacks, 0, 'panel members are not fallbacks');
    assert.equal(lines.find((l) => l.decisionId === split.decision)?.fallbacks, 1);
    assert.deepEqual([agreed.decision, split.decision].map((id) => (lines.find((l) => l.decisionId === id) as { panel?: string } | undefined)?.panel), ['agree', 'disagree']);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    // Three agreements (OpenAI plain and stream, Anthropic stream), two splits.
    assert.match(metrics, /switchyard_panel_verdicts_total\{route="vote",verdict="agree",accepted="true"\} 3/);
    assert.match(metrics, /switchyard_panel_verdicts_total\{route="vote",verdict="disagree",accepted="false"\} 2/);
  } finally {
    await gw.close();
  }
});

test('envelope with a panel: a hard prompt bound for the strong model is answered by two cheap ones that agree; an easy one goes to the cheap model alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-guard-'));
  writeFileSync(join(dir, 'set.jsonl'), syntheticRoutingSet());
  const artifact = join(dir, 'router.json');
  await run(process.execPath, [MAIN, 'train', '--data', join(dir, 'set.jsonl'), '--split', 'auto', '--out', artifact]);
  const hard = 'Prove the theorem about prime number 9100 step by step';
  const split = 'Prove the theorem about prime number 9101 step by step';
  const answers = join(dir, 'answers.jsonl');
  const record = (id: string, content: string, responses: Record<string, string>) => JSON.stringify({ id, task: 'proof', messages: [{ role: 'user', content }], scores: { small: 1, medium: 1, large: 1 }, responses });
  writeFileSync(answers, [record('h', hard, { small: 'True.', medium: 'true', large: 'True' }), record('s', split, { small: 'True', medium: 'False', large: 'True' })].join('\n'));
  const gw = await startTestGateway({
    providers: { sim: { kind: 'simulator', latencyScale: 0, dataset: answers } },
    routes: [{ name: 'guarded', targets: ['small', 'medium', 'large'], policy: { type: 'envelope', artifact, qualityFloor: 0.7, panel: { members: ['small', 'medium'] } } }],
  });
  try {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const ask = async (content: string) => {
      const { data, response } = await client.chat.completions.create({ model: 'guarded', messages: [{ role: 'user', content }] }).withResponse();
      return { text: data.choices[0]?.message.content, model: response.headers.get('x-switchyard-model'), decision: response.headers.get('x-switchyard-decision-id') };
    };
    const agreed = await ask(hard);
    assert.deepEqual([agreed.model, agreed.text], ['small', 'True.']);
    const escalated = await ask(split);
    assert.equal(escalated.model, 'large');
    const easy = await ask('Translate the word number 9102 into French');
    assert.equal(easy.model, 'small');
    await gw.flushLedger();
    const db = new Database(gw.ledgerPath, { readonly: true });
    const targets = (id: string | null) => (db.prepare('SELECT target FROM ledger WHERE decision_id = ? ORDER BY attempt').all(id) as Array<{ target: string }>).map((r) => r.target);
    assert.deepEqual(targets(agreed.decision).sort(), ['medium', 'small']);
    assert.deepEqual(targets(escalated.decision).slice(-1), ['large']);
    assert.equal(targets(escalated.decision).length, 3);
    assert.deepEqual(targets(easy.decision), ['small'], 'a cheap choice is not paneled');
    db.close();
  } finally {
    await gw.close();
  }
});
