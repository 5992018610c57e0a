import type { ResolvedConfig } from '../config/resolve-config.js';
import { ConfigError } from '../config/config-error.js';
import { loadQualityEstimator, type QualityEstimator } from '../learning/quality-estimator.js';
import { createEstimatorScorer } from '../learning/quality-estimator-scorer.js';
import type { AnswerScorer } from '../routing/scorers/answer-scorer.js';

/**
 * The answer scorers a cascade policy may name besides the built-in rules scorer: the quality
 * estimator when `learning.estimator.path` is set. Shared by `serve` and `config check`, so that a
 * file the checker accepts is one the gateway starts with, and the other way round.
 */
export const loadAnswerScorers = async (resolved: ResolvedConfig): Promise<{ estimator?: QualityEstimator; scorers?: ReadonlyMap<string, AnswerScorer> }> => {
  const path = resolved.config.learning.estimator.path;
  if (!path) return {};
  const estimator = await loadQualityEstimator(path).catch((err: unknown) => {
    throw new ConfigError(resolved.source, [`learning.estimator.path: ${(err as Error).message}`]);
  });
  return { estimator, scorers: new Map([['estimator', createEstimatorScorer(estimator)]]) };
};
