import type { EventSink } from '../spec/events.js';
import type { FeedbackRecord } from '../spec/learning.js';
import type { QualityEstimator } from './quality-estimator.js';
import type { SegmentTracker } from './quality-estimator-segments.js';

/**
 * Scores a sample of answered requests with the quality estimator (microseconds, after the
 * response was sent): the prediction becomes weak feedback (source `estimator`, weighted low by
 * the learning loop) and is kept per segment until a person or the judge says what it was worth.
 */
export const createEstimatorSink = (d: {
  estimator: QualityEstimator;
  tracker: SegmentTracker;
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
  const p = d.estimator.score({
    features: e.features, responseText: typeof content === 'string' ? content : '', finishReason: choice?.finishReason ?? null,
    model: e.model, tier: e.tier, outputTokens: e.usage?.outputTokens,
  });
  d.tracker.predicted(e.decisionId, { tenant: e.tenant, taskType: e.features.taskType, route: e.route }, p);
  d.recordFeedback({ decisionId: e.decisionId, tenant: e.tenant, metric: d.metric, value: p, source: 'estimator', ts: d.now() });
};
