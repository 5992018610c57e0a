import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startTestGateway } from '../helpers/start-test-gateway.js';

/**
 * End to end through the real server and the simulator: the bandit starts knowing nothing but
 * prices, feedback arrives for every answer (quality from a known ground truth: the cheap model fails
 * proofs and gets translations right, the large one gets both right), and the route learns to send
 * translations to the cheap model and proofs to the large one.
 */
test('the bandit learns from delayed feedback over HTTP: cheap model for easy prompts, strong one for hard ones', async (t) => {
  const gw = await startTestGateway({
    models: [
      { id: 'small', provider: 'sim', prices: { input: 0.2, output: 0.6 }, contextWindow: 8_192 },
      { id: 'large', provider: 'sim', prices: { input: 10, output: 30 }, contextWindow: 128_000 },
    ],
    routes: [{ name: 'learn', targets: ['small', 'large'], policy: { type: 'bandit', epsilon: 0.1, alpha: 0.5 } }],
    learning: { lambda: 10, failureMemory: { enabled: false } },
  });
  try {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const prompt = (i: number): { text: string; hard: boolean } =>
      i % 3 === 0 ? { text: `Prove the theorem about prime number ${i} step by step`, hard: true } : { text: `Translate the word number ${i} into French`, hard: false };
    const late: Array<{ hard: boolean; model: string }> = [];
    const pendingFeedback: Array<{ id: string; score: number }> = [];
    for (let i = 0; i < 360; i++) {
      const { text, hard } = prompt(i);
      const { response } = await client.chat.completions.create({ model: 'learn', messages: [{ role: 'user', content: text }] }).withResponse();
      const model = response.headers.get('x-switchyard-model') ?? '';
      if (i >= 300) late.push({ hard, model });
      pendingFeedback.push({ id: response.headers.get('x-switchyard-decision-id') ?? '', score: hard && model === 'small' ? 0 : 1 });
      // Feedback is delayed: it arrives ten requests after its answer.
      if (pendingFeedback.length > 10) {
        const f = pendingFeedback.shift() as { id: string; score: number };
        const r = await fetch(`${gw.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decision_id: f.id, metric: 'score', value: f.score }) });
        assert.equal(r.status, 202);
      }
    }
    const share = (hard: boolean, model: string): number => late.filter((x) => x.hard === hard && x.model === model).length / late.filter((x) => x.hard === hard).length;
    // The shares themselves, for the docs' run-to-run figures (`node --test` prints diagnostics).
    t.diagnostic(`easy prompts on small ${share(false, 'small')}, hard prompts on large ${share(true, 'large')}`);
    assert.ok(share(false, 'small') >= 0.75, `easy prompts on small: ${share(false, 'small')}`);
    assert.ok(share(true, 'large') >= 0.8, `hard prompts on large: ${share(true, 'large')}`);
    await gw.learning.flush();
    const decisions = await gw.ledger.learning.listDecisions({ route: 'learn' });
    assert.equal(decisions.length, 360);
    assert.ok(decisions.every((d) => d.propensity > 0 && d.propensity <= 1 && d.policy === 'bandit'));
  } finally {
    await gw.close();
  }
});
