import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Target } from '../spec/catalog.js';
import type { ChatResponse } from '../spec/chat.js';
import type { FeedbackRecord } from '../spec/learning.js';
import type { LedgerRow } from '../spec/ledger.js';
import type { ProviderAdapter } from '../spec/provider.js';
import { computeCostMicroUsd } from '../ledger/compute-cost.js';
import { DEFAULT_RUBRIC } from './judge-rubric.js';
import { createMemoryStateStore } from '../state/memory-state-store.js';
import { createJudgeBudget } from './judge-budget.js';
import { createJudgeWorker, type JudgeWorkerDeps } from './judge-worker.js';

const target: Target = {
  id: 'judge-model', params: {},
  model: {
    id: 'judge-model', provider: 'sim', upstreamModel: 'judge-model', contextWindow: 8_192, maxOutputTokens: 1_024,
    prices: { inputPerMtok: 1, outputPerMtok: 2, cachedInputPerMtok: 1, cacheWritePerMtok: 1, perRequest: 0 },
    capabilities: { tools: false, vision: false, jsonMode: false, streaming: true }, latency: { ttftMs: 0, tokensPerSecond: 100 },
  },
};

const reply = (text: string): ChatResponse => ({
  id: 'j', created: 0, model: 'judge-model', choices: [{ index: 0, message: { role: 'assistant', content: text }, finishReason: 'stop' }],
  usage: { inputTokens: 200, outputTokens: 4, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
});

const setup = (replies: Array<string | Error>, over: Partial<JudgeWorkerDeps> = {}) => {
  const rows: LedgerRow[] = [];
  const feedback: FeedbackRecord[] = [];
  const prompts: string[] = [];
  const adapter: ProviderAdapter = {
    kind: 'fake',
    chat: async (call) => {
      const c = call.request.messages[0]?.content;
      prompts.push(typeof c === 'string' ? c : '');
      const r = replies.shift() ?? 'Score: 5';
      if (r instanceof Error) throw r;
      return reply(r);
    },
    chatStream: () => Promise.reject(new Error('unused')),
  };
  const worker = createJudgeWorker({
    target, adapter, rubric: DEFAULT_RUBRIC, scale: { min: 1, max: 10 }, metric: 'score', maxTokens: 16, timeoutMs: 1_000,
    budget: createJudgeBudget(createMemoryStateStore(), 1_000_000), queueSize: 10, concurrency: 2, costOf: (u, t) => computeCostMicroUsd(u, t.model.prices),
    writeLedger: (r) => rows.push(r), recordFeedback: (f) => feedback.push(f), now: () => 1_000, newId: (() => { let i = 0; return () => String(++i); })(),
    configHash: 'h', version: 'v1', ...over,
  });
  return { worker, rows, feedback, prompts };
};

const item = (id: string) => ({ decisionId: id, tenant: 'acme', route: 'auto', question: 'What is 2+2?', answer: '4' });

test('a judged answer: score as judge feedback, cost as an overhead ledger row', async () => {
  const { worker, rows, feedback, prompts } = setup(['Score: 10', 'The answer is wrong. Score: 1']);
  assert.equal(worker.enqueue(item('d1')), true);
  assert.equal(worker.enqueue(item('d2')), true);
  await worker.drain();
  assert.deepEqual(feedback.map((f) => [f.decisionId, f.value, f.source, f.metric]), [['d1', 1, 'judge', 'score'], ['d2', 0, 'judge', 'score']]);
  assert.ok(prompts[0]?.includes('What is 2+2?') && prompts[0].includes('[Answer]\n4'));
  assert.equal(rows.length, 2);
  assert.deepEqual({ route: rows[0]?.route, tags: rows[0]?.tags, decisionId: rows[0]?.decisionId, outcome: rows[0]?.outcome }, { route: '_judge', tags: { overhead: 'judge', judged_route: 'auto' }, decisionId: 'd1', outcome: 'ok' });
  assert.equal(rows[0]?.costMicroUsd, 200 * 1 + 4 * 2);
  assert.equal(worker.counts().spentTodayMicroUsd, 2 * 208);
});

test('an unparseable grade is ignored; a failed call is logged at zero cost, never thrown', async () => {
  const { worker, rows, feedback } = setup(['I refuse to grade.', new Error('upstream down')]);
  worker.enqueue(item('d1'));
  worker.enqueue(item('d2'));
  await worker.drain();
  assert.equal(feedback.length, 0);
  assert.deepEqual(rows.map((r) => [r.outcome, r.costMicroUsd]), [['ok', 208], ['error', 0]]);
  assert.equal(worker.counts().unparsed, 1);
  assert.equal(worker.counts().error, 1);
});

test('the queue is bounded and the daily budget is never exceeded', async () => {
  const full = setup([], { queueSize: 2, concurrency: 1 });
  const accepted = [1, 2, 3, 4].map((i) => full.worker.enqueue(item(`d${i}`)));
  assert.deepEqual(accepted, [true, true, false, false]);
  await full.worker.drain();
  assert.equal(full.worker.counts().dropped_queue_full, 2);
  // Worst case per call ≈ 500 µUSD (one token per prompt character), real cost 208 µUSD: a
  // 1,000 µUSD budget allows a few calls only, and the reservations keep concurrent calls inside it.
  const poor = setup([], { budget: createJudgeBudget(createMemoryStateStore(), 1_000) });
  for (let i = 0; i < 8; i++) poor.worker.enqueue(item(`d${i}`));
  await poor.worker.drain();
  const c = poor.worker.counts();
  assert.ok(c.scored >= 1 && c.dropped_budget >= 3, JSON.stringify(c));
  assert.ok(c.spentTodayMicroUsd <= 1_000);
  assert.ok(poor.rows.reduce((a, r) => a + r.costMicroUsd, 0) <= 1_000);
});
