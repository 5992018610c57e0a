import { createHash } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { ResolvedConfig } from '../config/resolve-config.js';
import { ConfigError } from '../config/config-error.js';
import { computeCostMicroUsd } from '../ledger/compute-cost.js';
import type { FeedbackListener } from '../learning/create-learning-loop.js';
import { createEstimatorSink } from '../learning/create-estimator-sink.js';
import { createEstimatorTrainer } from '../learning/estimator-online.js';
import { createEstimatorLearner } from '../learning/estimator-learner.js';
import { createJudgeSink } from '../learning/create-judge-sink.js';
import { createJudgeBudget } from '../learning/judge-budget.js';
import { DEFAULT_RUBRIC } from '../learning/judge-rubric.js';
import { createJudgeSampler } from '../learning/judge-sampler.js';
import { createJudgeWorker, type JudgeWorker } from '../learning/judge-worker.js';
import { createSegmentTracker, type SegmentTracker } from '../learning/quality-estimator-segments.js';
import type { QualityEstimator } from '../learning/quality-estimator.js';
import type { EventSink } from '../spec/events.js';
import { ESTIMATOR_VERSIONS_KEY, type FeedbackRecord } from '../spec/learning.js';
import type { LedgerRow } from '../spec/ledger.js';
import type { ProviderAdapter } from '../spec/provider.js';
import type { Target } from '../spec/catalog.js';
import type { PolicyLearner } from '../spec/routing.js';
import type { StateStore } from '../spec/state.js';
import { registerLearningGauges } from '../telemetry/learning-gauges.js';

export interface LearningExtras {
  sinks: EventSink[];
  listeners: FeedbackListener[];
  judge?: JudgeWorker;
  segments?: SegmentTracker;
  /** Versioned state beside the routes' policies: the estimator's online learning (ESTIMATOR_VERSIONS_KEY). */
  learners: Map<string, PolicyLearner>;
}

interface ExtrasDeps {
  resolved: ResolvedConfig;
  /** Loaded from `learning.estimator.path` before the routes (cascades use it as their scorer). */
  estimator?: QualityEstimator;
  adapters: ReadonlyMap<string, ProviderAdapter>;
  /** Holds the judge's daily budget (shared by every replica when it is Redis). */
  state: Pick<StateStore, 'admit' | 'adjust'>;
  registry: Registry;
  writeLedger(row: LedgerRow): void;
  recordFeedback(record: FeedbackRecord): void;
  now(): number;
  newId(): string;
  /** One online update of a learner (the policy versions count them to snapshot; keys they do not version are ignored). */
  onLearnerUpdate?(key: string): void;
  /**
   * Version the estimator's online learning (one process). False with replicas sharing Redis state:
   * their estimators learn apart, and one active version could not describe them all.
   */
  versionEstimator: boolean;
}

/** Checks what the schema cannot (catalog model, declared metrics), before anything is started. */
export const checkLearningExtras = (resolved: ResolvedConfig): void => {
  const c = resolved.config.learning;
  const declared = new Set(c.metrics.map((m) => m.name));
  const issues: string[] = [];
  if (c.judge.enabled && !resolved.modelTargets.has(c.judge.model ?? '')) issues.push(`learning.judge.model: '${c.judge.model ?? ''}' is not a catalog model`);
  if (c.judge.enabled && !declared.has(c.judge.metric)) issues.push(`learning.judge.metric: '${c.judge.metric}' is not a declared metric (learning.metrics)`);
  if (c.estimator.path && !declared.has(c.estimator.metric)) issues.push(`learning.estimator.metric: '${c.estimator.metric}' is not a declared metric (learning.metrics)`);
  if (issues.length > 0) throw new ConfigError(resolved.source, issues);
};

/**
 * The judge and the quality estimator, built from `learning.judge` and `learning.estimator`: event
 * sinks (off the request path), a feedback listener that scores the estimator against later human
 * and judge labels per segment, and their gauges.
 */
export const startLearningExtras = (d: ExtrasDeps): LearningExtras => {
  const c = d.resolved.config.learning;
  const extras: LearningExtras = { sinks: [], listeners: [], learners: new Map() };
  const j = c.judge;
  if (j.enabled) {
    const target = d.resolved.modelTargets.get(j.model ?? '') as Target;
    const rubric = j.rubric ?? DEFAULT_RUBRIC;
    const worker = createJudgeWorker({
      target, adapter: d.adapters.get(target.model.provider) as ProviderAdapter, rubric, scale: j.scale, metric: j.metric,
      maxTokens: j.maxTokens, timeoutMs: j.timeoutMs, budget: createJudgeBudget(d.state, Math.round(j.budgetUsdPerDay * 1e6)), queueSize: j.queueSize, concurrency: j.concurrency,
      costOf: (usage, t) => computeCostMicroUsd(usage, t.model.prices), writeLedger: d.writeLedger, recordFeedback: d.recordFeedback,
      now: d.now, newId: d.newId, configHash: d.resolved.hash,
      version: createHash('sha256').update(JSON.stringify({ rubric, model: j.model, scale: j.scale })).digest('hex').slice(0, 8),
      onJudged: (o) => gauges.judgeOutcomes.inc({ outcome: o }),
    });
    extras.judge = worker;
    extras.sinks.push(createJudgeSink({ sampler: createJudgeSampler(j.sampling), worker, now: d.now, random: Math.random }));
  }
  const e = c.estimator;
  const estimator = d.estimator;
  if (estimator) {
    const tracker = createSegmentTracker();
    extras.segments = tracker;
    const trainer = e.onlineLearningRate > 0 ? createEstimatorTrainer(estimator, { learningRate: e.onlineLearningRate }) : undefined;
    if (trainer && d.versionEstimator) extras.learners.set(ESTIMATOR_VERSIONS_KEY, createEstimatorLearner(estimator, () => trainer.updates));
    extras.sinks.push(createEstimatorSink({ estimator, tracker, trainer, sampleRate: e.sampleRate, metric: e.metric, recordFeedback: d.recordFeedback, now: d.now, random: Math.random }));
    // Stronger labels (people, the judge) arriving later say how far to trust the estimator here — and teach it.
    extras.listeners.push({
      onFeedback: (p, quality, record) => {
        if (record.source !== 'user' && record.source !== 'judge') return;
        tracker.labelled(p.record.decisionId, quality);
        if (trainer?.labelled(p.record.decisionId, quality)) d.onLearnerUpdate?.(ESTIMATOR_VERSIONS_KEY);
      },
    });
  }
  const gauges = registerLearningGauges(d.registry, { segments: extras.segments ? () => extras.segments?.view() ?? {} : undefined, judgeSpentMicroUsd: extras.judge ? () => extras.judge?.counts().spentTodayMicroUsd ?? 0 : undefined });
  return extras;
};
