import type { DatasetRecord } from '../datasets/dataset-record.js';
import { answersOf } from '../learning/quality-estimator-dataset.js';
import { trainQualityEstimator } from '../learning/quality-estimator.js';
import { extractFeatures } from '../routing/extract-features.js';
import type { CascadeInputs } from './cascade-curve.js';

/**
 * The cascade's scorer for `switchyard eval`: the learning quality estimator (the gateway's
 * `scorer: estimator`), trained on the train split's recorded answers only, scoring each recorded
 * test answer. Null when the set has no response texts to train on, or none on test to score.
 */
export const estimatorCascadeScores = (train: readonly DatasetRecord[], test: readonly DatasetRecord[], data: string): CascadeInputs['score'] | null => {
  const answers = answersOf(train);
  if (answers.length === 0) return null;
  const { estimator } = trainQualityEstimator(answers, data);
  const scores = new Map<string, Map<string, number>>();
  for (const r of test) {
    if (!r.responses) continue;
    const features = extractFeatures({ model: 'eval', messages: r.messages, stream: false, includeUsage: false });
    const byModel = new Map<string, number>();
    for (const [model, text] of Object.entries(r.responses)) {
      byModel.set(model, estimator.score({ features, responseText: text, finishReason: 'stop', model, outputTokens: r.outputTokens?.[model] }));
    }
    scores.set(r.id, byModel);
  }
  // Without a test answer to score there is no cascade to simulate (every prompt would escalate).
  if (scores.size === 0) return null;
  return (id, model) => scores.get(id)?.get(model);
};
