import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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
