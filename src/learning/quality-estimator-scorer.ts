import type { QualityScorer } from '../spec/routing.js';
import type { QualityEstimator } from './quality-estimator.js';

/** The estimator as the cascade's pluggable scorer: reads the first choice's text and finish reason. */
export const createEstimatorScorer = (estimator: QualityEstimator): QualityScorer => ({
  name: 'quality-estimator',
  version: estimator.version,
  score({ features, response, target, tier }) {
    const choice = response.choices[0];
    const content = choice?.message.content;
    const text = typeof content === 'string' ? content : '';
    return estimator.score({ features, responseText: text, finishReason: choice?.finishReason ?? null, model: target, tier, outputTokens: response.usage?.outputTokens });
  },
});
