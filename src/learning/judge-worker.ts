import type { Target } from '../spec/catalog.js';
import type { Usage } from '../spec/chat.js';
import type { FeedbackRecord } from '../spec/learning.js';
import type { LedgerRow } from '../spec/ledger.js';
import type { ProviderAdapter } from '../spec/provider.js';
import type { JudgeBudget } from './judge-budget.js';
import { parseJudgeScore, renderRubric } from './judge-rubric.js';

/** One sampled answer waiting for the judge. Holds the texts only until judged (never logged). */
export interface JudgeItem {
  decisionId: string;
  tenant: string;
  route: string;
  question: string;
  answer: string;
}

export interface JudgeWorkerDeps {
  /** The judge model, a catalog target called through its normal provider adapter. */
  target: Target;
  adapter: ProviderAdapter;
  rubric: string;
  scale: { min: number; max: number };
  /** Declared metric the normalised score is recorded on. */
  metric: string;
  maxTokens: number;
  timeoutMs: number;
  /** Today's budget, shared by every replica on Redis state (judge-budget.ts). */
  budget: JudgeBudget;
  queueSize: number;
  concurrency: number;
  costOf(usage: Usage, target: Target): number;
  writeLedger(row: LedgerRow): void;
  recordFeedback(record: FeedbackRecord): void;
  now(): number;
  newId(): string;
  configHash: string;
  /** Version stamped on the judge's ledger rows (a hash of the rubric and judge settings). */
  version: string;
  onJudged?(outcome: JudgeOutcome): void;
}

export type JudgeOutcome = 'scored' | 'unparsed' | 'error' | 'dropped_queue_full' | 'dropped_budget';

export interface JudgeWorker {
  /** Queues an answer; false (and counted) when the queue is full. Never blocks. */
  enqueue(item: JudgeItem): boolean;
  /** spentTodayMicroUsd: what this process spent today (the budget itself may be shared by replicas). */
  counts(): Readonly<Record<JudgeOutcome, number>> & { queued: number; spentTodayMicroUsd: number };
  /** Resolves when the queue is empty and no call is in flight (tests, shutdown). */
  drain(): Promise<void>;
}

const DAY = 86_400_000;

/**
 * The judge's worker: a bounded queue drained by a few concurrent calls, entirely off the request
 * path. A call is made only if its worst-case cost (prompt at the input price plus max tokens at
 * the output price) still fits today's budget; its real cost goes to the ledger as an overhead row
 * (route `_judge`, tag `overhead=judge`, the judged decision's id) and its score to recordFeedback
 * with source `judge`.
 */
export const createJudgeWorker = (deps: JudgeWorkerDeps): JudgeWorker => {
  const queue: JudgeItem[] = [];
  const counts: Record<JudgeOutcome, number> = { scored: 0, unparsed: 0, error: 0, dropped_queue_full: 0, dropped_budget: 0 };
  let active = 0;
  let day = -1;
  let spent = 0;
  let idle: Array<() => void> = [];
  const count = (o: JudgeOutcome): void => {
    counts[o] += 1;
    deps.onJudged?.(o);
  };
  const spentToday = (now: number): number => {
    if (Math.floor(now / DAY) !== day) {
      day = Math.floor(now / DAY);
      spent = 0;
    }
    return spent;
  };
  // A true upper bound, so the budget holds: a BPE token covers at least one character, plus a
  // few tokens of chat template; the output is capped by max tokens.
  const worstCase = (prompt: string): number => {
    const p = deps.target.model.prices;
    return Math.ceil((prompt.length + 16) * p.inputPerMtok + deps.maxTokens * p.outputPerMtok + p.perRequest * 1e6);
  };
  const row = (item: JudgeItem, start: number, usage: Usage | null, cost: number, outcome: LedgerRow['outcome'], errorCode: string | null): LedgerRow => ({
    requestId: `judge-${deps.newId()}`, decisionId: item.decisionId, attempt: 1, ts: start, tenant: item.tenant, apiKeyId: '_judge',
    tags: { overhead: 'judge', judged_route: item.route }, route: '_judge', target: deps.target.id, model: deps.target.model.id, provider: deps.target.model.provider,
    inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0, cachedInputTokens: usage?.cachedInputTokens ?? 0,
    cacheWriteTokens: usage?.cacheWriteTokens ?? 0, reasoningTokens: usage?.reasoningTokens ?? 0, costMicroUsd: cost,
    latencyMs: Math.max(0, deps.now() - start), ttftMs: null, outcome, errorCode, stream: false, policy: 'judge', policyVersion: deps.version, configHash: deps.configHash,
  });
  const judge = async (item: JudgeItem): Promise<void> => {
    const prompt = renderRubric(deps.rubric, item.question, item.answer);
    const start = deps.now();
    const worst = worstCase(prompt);
    // Reserved now, trued up below, so concurrent calls (on every replica) cannot overspend.
    const reserved = deps.budget.reserve(worst, start);
    if (!(reserved instanceof Promise ? await reserved : reserved)) return count('dropped_budget');
    spent = spentToday(start) + worst;
    try {
      const response = await deps.adapter.chat({
        request: { model: deps.target.model.upstreamModel, messages: [{ role: 'user', content: prompt }], stream: false, includeUsage: false, maxTokens: deps.maxTokens, temperature: 0 },
        upstreamModel: deps.target.model.upstreamModel,
        signal: AbortSignal.timeout(deps.timeoutMs),
      });
      const usage = response.usage ?? null;
      const cost = usage ? deps.costOf(usage, deps.target) : worst;
      spent += cost - worst;
      deps.budget.adjust(cost - worst, deps.now());
      deps.writeLedger(row(item, start, usage, cost, 'ok', null));
      const content = response.choices[0]?.message.content;
      const score = parseJudgeScore(typeof content === 'string' ? content : '', deps.scale);
      if (score === null) return count('unparsed');
      deps.recordFeedback({ decisionId: item.decisionId, tenant: item.tenant, metric: deps.metric, value: score, source: 'judge', ts: deps.now() });
      count('scored');
    } catch (err) {
      // A failed call is not billed by the upstream.
      spent -= worst;
      deps.budget.adjust(-worst, deps.now());
      deps.writeLedger(row(item, start, null, 0, 'error', (err as { code?: string }).code ?? 'judge_failed'));
      count('error');
    }
  };
  const pump = (): void => {
    while (active < deps.concurrency && queue.length > 0) {
      const item = queue.shift() as JudgeItem;
      active += 1;
      void judge(item).finally(() => {
        active -= 1;
        pump();
      });
    }
    if (active === 0 && queue.length === 0) {
      const waiting = idle;
      idle = [];
      for (const resolve of waiting) resolve();
    }
  };
  return {
    enqueue(item) {
      if (queue.length >= deps.queueSize) {
        count('dropped_queue_full');
        return false;
      }
      queue.push(item);
      queueMicrotask(pump);
      return true;
    },
    counts: () => ({ ...counts, queued: queue.length, spentTodayMicroUsd: spentToday(deps.now()) }),
    drain: () => (active === 0 && queue.length === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve))),
  };
};
