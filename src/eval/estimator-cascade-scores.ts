import type { DatasetRecord } from '../datasets/dataset-record.js';
import { answersOf } from '../learning/quality-estimator-dataset.js';
import { trainQualityEstimator, type QualityEstimator } from '../learning/quality-estimator.js';
import { extractFeatures } from '../routing/extract-features.js';
import { FOLDS, foldOf } from './choose-blend.js';
import type { CascadeInputs } from './cascade-curve.js';

type Scores = Map<string, Map<string, number>>;

const scoreInto = (out: Scores, estimator: QualityEstimator, records: readonly DatasetRecord[]): void => {
  for (const r of records) {
    if (!r.responses) continue;
    const features = extractFeatures({ model: 'eval', messages: r.messages, stream: false, includeUsage: false });
    const byModel = new Map<string, number>();
    for (const [model, text] of Object.entries(r.responses)) {
      byModel.set(model, estimator.score({ features, responseText: text, finishReason: 'stop', model, outputTokens: r.outputTokens?.[model] }));
    }
    out.set(r.id, byModel);
  }
};

const lookup = (scores: Scores): CascadeInputs['score'] => (id, model) => scores.get(id)?.get(model);

/**
 * The cascade's scorer for `switchyard eval`: the learning quality estimator (the gateway's
 * `scorer: estimator`), trained on the train split's recorded answers only. `test` scores each
 * recorded test answer with the estimator trained on all of train; `trainOutOfFold` scores each
 * train answer with one trained on the other folds, so a cascade operating point can be chosen on
 * train alone. Null when the set has no response texts to train on, or none on test to score.
 */
export const estimatorCascadeScores = (train: readonly DatasetRecord[], test: readonly DatasetRecord[], data: string): { test: CascadeInputs['score']; trainOutOfFold: CascadeInputs['score'] } | null => {
  const answers = answersOf(train);
  if (answers.length === 0) return null;
  const onTest: Scores = new Map();
  scoreInto(onTest, trainQualityEstimator(answers, data).estimator, test);
  // Without a test answer to score there is no cascade to simulate (every prompt would escalate).
  if (onTest.size === 0) return null;
  const oof: Scores = new Map();
  for (let f = 0; f < FOLDS; f++) {
    const rest = answersOf(train.filter((r) => foldOf(r.id) !== f));
    if (rest.length > 0) scoreInto(oof, trainQualityEstimator(rest, data).estimator, train.filter((r) => foldOf(r.id) === f));
  }
  return { test: lookup(onTest), trainOutOfFold: lookup(oof) };
};
