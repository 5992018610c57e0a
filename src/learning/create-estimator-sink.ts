import type { EventSink } from '../spec/events.js';
import type { FeedbackRecord } from '../spec/learning.js';
import type { QualityEstimator } from './quality-estimator.js';
import type { SegmentTracker } from './quality-estimator-segments.js';
import type { EstimatorTrainer } from './estimator-online.js';
import { estimatorVector } from './quality-estimator-features.js';

/**
 * Scores a sample of answered requests with the quality estimator (microseconds, after the
 * response was sent): the prediction becomes weak feedback (source `estimator`, weighted low by
 * the learning loop) and is kept per segment until a person or the judge says what it was worth —
 * which is also when the estimator learns from it (online retraining).
 */
export const createEstimatorSink = (d: {
  estimator: QualityEstimator;
  tracker: SegmentTracker;
  /** Keeps the scored answers' vectors for the online updates, when they are on. */
  trainer?: EstimatorTrainer;
  sampleRate: number;
  metric: string;
  recordFeedback(r: FeedbackRecord): void;
  now(): number;
  random(): number;
}): EventSink => (e) => {
  if (e.type !== 'request-end' || e.status !== 200 || !e.response || !e.model) return;
  if (d.random() >= d.sampleRate) return;
  const choice = e.response.choices[0];
  const content = choice?.message.content;
  const x = estimatorVector({
    features: e.features, responseText: typeof content === 'string' ? content : '', finishReason: choice?.finishReason ?? null,
    model: e.model, tier: e.tier, outputTokens: e.usage?.outputTokens,
  });
  const p = d.estimator.scoreVector(x);
  d.tracker.predicted(e.decisionId, { tenant: e.tenant, taskType: e.features.taskType, route: e.route }, p);
  d.trainer?.scored(e.decisionId, x);
  d.recordFeedback({ decisionId: e.decisionId, tenant: e.tenant, metric: d.metric, value: p, source: 'estimator', ts: d.now() });
};
