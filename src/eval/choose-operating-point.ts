import { chooseByUtility, type Prediction } from '../routing/choose-target.js';
import { FOLDS, foldOf } from './choose-blend.js';
import type { PreparedRecord } from './prepare-records.js';
import { routeOutcome, type Outcome } from './route-outcome.js';
import { predict, trainRouter, type TrainedRouter } from './train-router.js';

export interface OperatingPoint {
  /** The `utility` policy's λ to configure. */
  lambda: number;
  /** Out-of-fold on train: the policy's quality and its cost ÷ the target model's. */
  trainCv: { quality: number; costRatio: number };
}

export interface OperatingPoints {
  /** The single model aimed at: the best on train. */
  target: string;
  targetTrainQuality: number;
  /** The cheapest λ whose out-of-fold quality reaches the target's. */
  reachBest: OperatingPoint | null;
  /** The best out-of-fold quality at ≤ `costShare` of the target's cost. */
  withinShare: OperatingPoint | null;
  costShare: number;
}

/**
 * The `utility` policy's operating points chosen on the TRAIN split alone: out-of-fold predictions
 * (each fold's prompts predicted by a router trained on the other folds, with the full router's
 * cluster count and blend), swept over `lambdas`. These are the λs a deployment would configure;
 * `eval` reports what they give on test.
 */
export const chooseUtilityLambdas = (train: readonly PreparedRecord[], router: TrainedRouter, lambdas: readonly number[], costShare: number, oof = outOfFoldPredictions(train, router)): OperatingPoints | null => {
  if (!oof) return null;
  const target = router.models.reduce((a, b) => ((router.byModel.get(b)?.trainQuality ?? 0) > (router.byModel.get(a)?.trainQuality ?? 0) ? b : a), router.models[0] ?? '');
  const single = routeOutcome(train, () => target);
  const point = (lambda: number, o: Outcome): OperatingPoint => ({ lambda, trainCv: { quality: o.quality, costRatio: o.cost_usd / Math.max(1e-12, single.cost_usd) } });
  let reachBest: OperatingPoint | null = null;
  let withinShare: OperatingPoint | null = null;
  for (const lambda of lambdas) {
    const o = routeOutcome(train, (r) => chooseByUtility(oof.get(r.id) ?? [], lambda)?.model);
    const p = point(lambda, o);
    if (o.quality >= single.quality - 1e-9 && (!reachBest || p.trainCv.costRatio < reachBest.trainCv.costRatio)) reachBest = p;
    if (p.trainCv.costRatio <= costShare && (!withinShare || o.quality > withinShare.trainCv.quality)) withinShare = p;
  }
  return { target, targetTrainQuality: single.quality, reachBest, withinShare, costShare };
};

/**
 * Each train prompt predicted by a router trained on the other folds, with the full router's
 * cluster count and blend: what choosing an operating point on train alone reads. Null for a
 * router without clusters (nothing to reproduce).
 */
export const outOfFoldPredictions = (train: readonly PreparedRecord[], router: TrainedRouter): Map<string, Prediction[]> | null => {
  if (!router.clusters) return null;
  const structure = { clusters: router.clusters.kind, blend: router.clusters.blend };
  const oof = new Map<string, Prediction[]>();
  for (let f = 0; f < FOLDS; f++) {
    const fold = trainRouter(train.filter((r) => foldOf(r.id) !== f), { structure });
    for (const r of train) if (foldOf(r.id) === f) oof.set(r.id, predict(fold, r));
  }
  return oof;
};

