import type { LearningConfig, MetricConfig } from '../config/config-schema.js';
import type { EventSink } from '../spec/events.js';
import type { DecisionRecord, FeedbackKey, FeedbackRecord, LearningStore } from '../spec/learning.js';
import type { PolicyLearner } from '../spec/routing.js';
import { createBatchWriter, type BatchWriter } from '../ledger/create-batch-writer.js';
import { createBoundedSet } from './bounded-set.js';
import { invalidDecision, toPendingDecision } from './decision-record.js';
import { qualityOf } from './feedback-metrics.js';
import { createPendingDecisions, type PendingDecision } from './pending-decisions.js';

/** Something that reacts to decisions and to their (delayed) feedback: failure memory, snapshots. */
export interface FeedbackListener {
  onDecision?(p: PendingDecision): void;
  onFeedback?(p: PendingDecision, quality: number, record: FeedbackRecord): void;
}

export interface LearningLoopDeps {
  config: LearningConfig;
  store: LearningStore;
  /** The online learner of a route's policy, if it has one. */
  learnerFor(route: string): PolicyLearner | undefined;
  listeners?: readonly FeedbackListener[];
  now(): number;
  writer?: { maxBatch?: number; flushIntervalMs?: number };
  onError(err: unknown, what: string): void;
}

export const feedbackKeyOf = (k: FeedbackKey): string => JSON.stringify([k.decisionId, k.metric, k.source, k.idempotencyKey ?? '']);

/**
 * The learning loop's core: every finished request becomes a logged decision (batched, off the
 * request path) and stays in memory for a while; `recordFeedback` — the one entry point for all
 * feedback (API, implicit signals, judge, estimator) — stores the feedback and, joined with its
 * decision, turns it into a weighted quality observation for the route's learning policy.
 */
export const createLearningLoop = (deps: LearningLoopDeps) => {
  const { config } = deps;
  const metrics = new Map<string, MetricConfig>(config.metrics.map((m) => [m.name, m]));
  const pending = createPendingDecisions(config.pendingDecisions, config.pendingTtlMs);
  const seen = createBoundedSet(config.pendingDecisions);
  const listeners = deps.listeners ?? [];
  const report = (what: string) => (err: unknown): void => deps.onError(err, what);
  const decisions: BatchWriter<DecisionRecord> = createBatchWriter(
    { label: 'decision log', insert: (rows) => deps.store.insertDecisions(rows), invalid: invalidDecision },
    { ...deps.writer, onError: report('decision log write failed') },
  );
  const feedback: BatchWriter<FeedbackRecord> = createBatchWriter(
    { label: 'feedback', insert: (rows) => deps.store.insertFeedback(rows), invalid: (f) => (Number.isFinite(f.value) ? null : 'value is not finite') },
    { ...deps.writer, onError: report('feedback write failed') },
  );

  const learn = (p: PendingDecision, record: FeedbackRecord): void => {
    const metric = metrics.get(record.metric);
    // Undeclared metrics (a judge's own rubric) are stored for analysis but are not a reward.
    if (!metric || p.record.tenant !== record.tenant) return;
    if (record.ts - p.record.ts > config.feedbackWindowMs) return;
    const quality = qualityOf(metric, record.value);
    const weight = config.sourceWeights[record.source];
    // Quality is credited to the target that produced the answer (after fallbacks), unless the
    // feedback names another (a provider error names the target that failed).
    const arm = record.target ?? p.record.served ?? p.record.chosen;
    if (weight > 0 && arm !== '') {
      deps.learnerFor(p.record.route)?.learn({
        decisionId: p.record.decisionId, tenant: p.record.tenant, chosen: arm, context: p.record.context,
        quality, weight, costMicroUsd: p.record.costMicroUsd, segment: p.segment,
      });
    }
    for (const l of listeners) l.onFeedback?.(p, quality, record);
  };

  /** Memory first (recent decisions), then the database (older ones, or another replica's). */
  const findDecision = async (decisionId: string): Promise<PendingDecision | undefined> => {
    const hit = pending.get(decisionId, deps.now());
    if (hit) return hit;
    const record = await deps.store.getDecision(decisionId);
    return record ? { record, segment: `*/${record.taskType}` } : undefined;
  };

  /** Records feedback unless this process already has it; false for a duplicate. */
  const record = (record: FeedbackRecord): boolean => {
    const key = feedbackKeyOf(record);
    if (seen.has(key)) return false;
    seen.add(key);
    feedback.write(record);
    const hit = pending.get(record.decisionId, deps.now());
    if (hit) learn(hit, record);
    else findDecision(record.decisionId).then((p) => { if (p) learn(p, record); }, report('feedback join failed'));
    return true;
  };
  const recordFeedback = (r: FeedbackRecord): void => {
    record(r);
  };

  const sink: EventSink = (e) => {
    if (e.type !== 'request-end') return;
    const p = toPendingDecision(e, deps.now());
    decisions.write(p.record);
    pending.add(p, deps.now());
    deps.learnerFor(e.route)?.observe?.(e.decision, e.tenant);
    for (const l of listeners) l.onDecision?.(p);
  };

  return {
    sink,
    recordFeedback,
    record,
    findDecision,
    /** True when this feedback was already recorded (this process, or stored). */
    isDuplicate: async (key: FeedbackKey): Promise<boolean> => seen.has(feedbackKeyOf(key)) || (await deps.store.hasFeedback(key)),
    metric: (name: string): MetricConfig | undefined => metrics.get(name),
    get pendingDecisions(): number {
      return pending.size;
    },
    flush: async (): Promise<void> => {
      await Promise.all([decisions.flush(), feedback.flush()]);
    },
    close: async (): Promise<void> => {
      await Promise.all([decisions.close(), feedback.close()]);
    },
  };
};
export type LearningLoop = ReturnType<typeof createLearningLoop>;
