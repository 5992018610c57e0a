import { LRUCache } from 'lru-cache';
import type { SparseVector } from '../routing/text-vector.js';
import type { QualityEstimator } from './quality-estimator.js';

/**
 * Online retraining of the quality estimator from feedback: the feature vector of every answer it
 * scored is kept (bounded, oldest dropped) until a stronger label — a person's verdict or the
 * judge's score — arrives for the same decision; then one SGD step moves the estimator toward it.
 * Off the request path (the estimator sink and the feedback listener run after the response).
 */
export const createEstimatorTrainer = (estimator: QualityEstimator, options: { learningRate: number; maxPending?: number }) => {
  const maxPending = options.maxPending ?? 50_000;
  // The oldest pending vector is dropped first, in O(1) (a Map evicted from its front is not: src/learning/pending-decisions.ts).
  const pending = new LRUCache<string, SparseVector>({ max: maxPending });
  let updates = 0;
  return {
    scored(decisionId: string, x: SparseVector): void {
      if (options.learningRate <= 0) return;
      pending.set(decisionId, x);
    },
    /** A stronger label for a scored answer: one step toward it. False when none was pending. */
    labelled(decisionId: string, label: number): boolean {
      const x = pending.peek(decisionId);
      if (!x) return false;
      pending.delete(decisionId);
      estimator.learn(x, label, options.learningRate);
      updates += 1;
      return true;
    },
    get updates(): number {
      return updates;
    },
  };
};
export type EstimatorTrainer = ReturnType<typeof createEstimatorTrainer>;
