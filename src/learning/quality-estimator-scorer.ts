import type { AnswerScorer } from '../routing/scorers/answer-scorer.js';
import type { QualityEstimator } from './quality-estimator.js';

/**
 * The estimator as a cascade's answer scorer (registered under the name `estimator`): reads the
 * first choice's text and finish reason; the answering model is the response's `model`.
 */
export const createEstimatorScorer = (estimator: QualityEstimator, tierOf?: (model: string) => string | undefined): AnswerScorer => ({
  name: 'estimator',
  score({ features, response }) {
    const choice = response.choices[0];
    const content = choice?.message.content;
    const text = typeof content === 'string' ? content : '';
    const quality = estimator.score({
      features, responseText: text, finishReason: choice?.finishReason ?? null, model: response.model, tier: tierOf?.(response.model), outputTokens: response.usage?.outputTokens,
    });
    return { quality, reason: `estimator:${estimator.version}` };
  },
});
