import type { PreparedRecord } from './prepare-records.js';
import { aiq, costRatioAtQuality, qualityAtCost, type CurvePoint } from './routing-metrics.js';
import { chooseByFloor, chooseByUtility, type Prediction } from '../routing/choose-target.js';
import { predict, type TrainedRouter } from './train-router.js';

export interface Outcome { quality: number; cost_usd: number }
export interface PolicyReport {
  curve: CurvePoint[];
  aiq: number;
  costRatioAtBestQuality: number | null;
  qualityAtBestCost: number | null;
}
export interface EvalReport {
  n_train: number;
  n_test: number;
  split: string;
  cost: 'total USD over the test prompts';
  baselines: Record<string, Outcome>;
  random: Outcome;
  oracle: Outcome;
  bestModel: string;
  /** What cross-validation on the train split chose: prompt clusters, text-model weight, held-out Brier score. */
  training: { clusters: number; blend: number; cvBrier: number } | null;
  policies: Record<string, PolicyReport>;
}

const FLOORS = Array.from({ length: 99 }, (_, i) => Number((0.01 * (i + 1)).toFixed(2)));
/**
 * λ in quality points per USD, log-spaced from "cost is free" to "cost is everything" relative to
 * the set's own cost scale (the median model's mean cost per train prompt), so the sweep spans the
 * trade-off whether a prompt costs cents or micro-cents.
 */
const lambdasFor = (router: TrainedRouter): number[] => {
  const costs = [...router.byModel.values()].map((m) => m.trainCost).sort((a, b) => a - b);
  const scale = costs[Math.floor(costs.length / 2)] || 1;
  return [0, ...Array.from({ length: 121 }, (_, i) => Number((10 ** (-3 + i * 0.05) / scale).toPrecision(3)))];
};
const THRESHOLDS = Array.from({ length: 41 }, (_, i) => Number((i / 40).toFixed(3)));

/** Quality and total cost of routing every test prompt with `pick`. */
const run = (test: readonly PreparedRecord[], pick: (r: PreparedRecord) => string | undefined): Outcome => {
  let quality = 0;
  let cost = 0;
  for (const r of test) {
    const m = pick(r);
    if (m === undefined) continue;
    quality += r.quality.get(m) ?? 0;
    cost += r.costUsd.get(m) ?? 0;
  }
  return { quality: quality / Math.max(1, test.length), cost_usd: cost };
};

const oracle = (test: readonly PreparedRecord[], models: readonly string[]): Outcome =>
  run(test, (r) => {
    const byCost = models.filter((m) => r.costUsd.has(m)).sort((a, b) => (r.costUsd.get(a) ?? 0) - (r.costUsd.get(b) ?? 0));
    return byCost.find((m) => (r.quality.get(m) ?? 0) >= 0.5) ?? byCost[0];
  });

export const evaluateRouting = (router: TrainedRouter, trainSize: number, test: readonly PreparedRecord[], split: string, policies: readonly string[]): EvalReport => {
  const models = router.models;
  const baselines = Object.fromEntries(models.map((m) => [m, run(test, () => m)]));
  const outcomes = Object.values(baselines);
  const random: Outcome = {
    quality: outcomes.reduce((a, o) => a + o.quality, 0) / Math.max(1, outcomes.length),
    cost_usd: outcomes.reduce((a, o) => a + o.cost_usd, 0) / Math.max(1, outcomes.length),
  };
  const bestModel = models.reduce((a, b) => ((baselines[b]?.quality ?? 0) > (baselines[a]?.quality ?? 0) ? b : a), models[0] ?? '');
  const best = baselines[bestModel] ?? { quality: 0, cost_usd: 0 };
  const costs = outcomes.map((o) => o.cost_usd);
  const preds = new Map<string, Prediction[]>(test.map((r) => [r.id, predict(router, r)]));
  const curves: Record<string, CurvePoint[]> = {};
  if (policies.includes('envelope')) {
    curves['envelope'] = FLOORS.map((floor) => ({ ...run(test, (r) => chooseByFloor(preds.get(r.id) ?? [], floor)?.model), param: floor }));
  }
  if (policies.includes('utility')) {
    curves['utility'] = lambdasFor(router).map((lambda) => ({ ...run(test, (r) => chooseByUtility(preds.get(r.id) ?? [], lambda)?.model), param: lambda }));
  }
  const c = router.classifier;
  if (policies.includes('classifier') && c) {
    // The two-model classifier: P(small is good enough) ≥ threshold sends the prompt to the small one.
    const p = new Map(test.map((r) => [r.id, c.model.predict(r.vector)]));
    curves['classifier'] = THRESHOLDS.map((t) => ({ ...run(test, (r) => ((p.get(r.id) ?? 0) >= t ? c.small : c.large)), param: t }));
  }
  const reports = Object.fromEntries(Object.entries(curves).map(([name, curve]) => [name, {
    curve,
    aiq: aiq(curve, Math.min(...costs), Math.max(...costs)),
    costRatioAtBestQuality: costRatioAtQuality(curve, best.quality, best.cost_usd),
    qualityAtBestCost: qualityAtCost(curve, best.cost_usd),
  } satisfies PolicyReport]));
  return {
    n_train: trainSize, n_test: test.length, split, cost: 'total USD over the test prompts',
    baselines, random, oracle: oracle(test, models), bestModel, policies: reports,
    training: router.clusters ? { clusters: router.clusters.centroids.length, blend: router.clusters.blend, cvBrier: Number(router.clusters.brier.toFixed(4)) } : null,
  };
};
