import type { PreparedRecord } from './prepare-records.js';
import { aiq, costRatioAtQuality, mixedCostRatioAtQuality, mixedQualityAtCost, modelsAboveCurve, qualityAtCost, type CurvePoint } from './routing-metrics.js';
import { predictionDiagnostics, type PredictionDiagnostics } from './prediction-diagnostics.js';
import { taskLabelPredictor } from './task-label-reference.js';
import { chooseUtilityLambdas, outOfFoldPredictions, type OperatingPoint, type OperatingPoints } from './choose-operating-point.js';
import { guardedUtilitySweep } from './guarded-utility.js';
import { routeOutcome as run, type Outcome } from './route-outcome.js';
import { chooseByFloor, chooseByUtility, type Prediction } from '../routing/choose-target.js';
import { predict, servedArtifact, type TrainedRouter } from './train-router.js';
import { clusterOf } from '../routing/predict-quality.js';
import { THRESHOLDS, cascadeCurve, chooseCascadePoints, chooseOnTrain, type CascadeInputs, type ChosenPoints } from './cascade-curve.js';
import { panelConfigs, panelCurve, type PanelInputs } from './panel-curve.js';
import { taskCeiling, type Ceiling } from './task-ceiling.js';

/** The cost share the RouterBench target names: the best model's quality at ≤ 30% of its cost. */
export const TARGET_COST_SHARE = 0.3;

export interface PolicyReport {
  curve: CurvePoint[];
  aiq: number;
  /** On the swept operating points themselves. */
  costRatioAtBestQuality: number | null;
  qualityAtBestCost: number | null;
  qualityAt30PctCost: number | null;
  /** The same with mixing two operating points at random (on the hull AIQ is measured on). */
  mixed: { costRatioAtBestQuality: number | null; qualityAtBestCost: number | null; qualityAt30PctCost: number | null };
  /** Single models above the policy's hull: where it is below the single models' frontier. */
  singleModelsAbove: string[];
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
  /**
   * With task-label groups, `taskAgreement`: the share of test prompts whose group (assigned by
   * their text, as the gateway does) is their own dataset label.
   */
  training: { clusters: number; byTask: boolean; taskAgreement: number | null; blend: number; cvBrier: number } | null;
  policies: Record<string, PolicyReport>;
  /**
   * Not policies: the utility rule given each prompt's dataset task label and the train split's
   * per-task means (src/eval/task-label-reference.ts) — what perfect task knowledge alone reaches.
   */
  references: Record<string, PolicyReport>;
  /** The learned predictions' quality on the test prompts (AUC overall and within a task, cost error). */
  predictions: PredictionDiagnostics;
  /** `utility`'s λs chosen on train folds (src/eval/choose-operating-point.ts), each with what it gives on test. */
  operatingPoints: (OperatingPoints & { test: Record<'reachBest' | 'withinShare', (Outcome & { costRatio: number }) | null> }) | null;
  /** `cascade`'s (chain, threshold) chosen on train folds (answers scored out of fold), each with what it gives on test. */
  cascadeOperatingPoints: (ChosenPoints & { costShare: number }) | null;
  /** `panel`'s members and free-text setting chosen on the train split, each with what it gives on test. */
  panelOperatingPoints: (ChosenPoints & { costShare: number }) | null;
  /** `utility+panel`'s panel and λ (`threshold`) chosen on train folds, each with what it gives on test. */
  guardedOperatingPoints: (ChosenPoints & { costShare: number }) | null;
  /**
   * Not a policy: the best any per-task choice of a single model or a panel could do on test, chosen
   * with hindsight on test itself (src/eval/task-ceiling.ts) — what limits the cost-share target.
   */
  ceiling: Ceiling;
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

/** The share of prompts whose task-label group, assigned by their text through the served artefact, is their own label (null: no label groups). */
const taskAgreement = (router: TrainedRouter, records: readonly PreparedRecord[]): number | null => {
  const labels = router.clusters?.labels;
  if (!labels || records.length === 0) return null;
  const artifact = servedArtifact(router);
  let same = 0;
  for (const r of records) if (labels[clusterOf(artifact, r.vector)] === r.task) same += 1;
  return Number((same / records.length).toFixed(4));
};

const oracle = (test: readonly PreparedRecord[], models: readonly string[]): Outcome =>
  run(test, (r) => {
    const byCost = models.filter((m) => r.costUsd.has(m)).sort((a, b) => (r.costUsd.get(a) ?? 0) - (r.costUsd.get(b) ?? 0));
    return byCost.find((m) => (r.quality.get(m) ?? 0) >= 0.5) ?? byCost[0];
  });

/**
 * `cascade` needs a score of each recorded answer (src/eval/cascade-curve.ts): the CLI passes
 * the quality estimator trained on the train split's answers when the set has response texts.
 */
export interface EvalExtras {
  cascadeScore?: CascadeInputs['score'];
  /** The same for train answers, each scored by an estimator trained on the other folds. */
  cascadeTrainScore?: CascadeInputs['score'];
  /** `panel` compares recorded answer texts (src/eval/panel-curve.ts): a prompt's text by model, train and test. */
  panelAnswer?: PanelInputs['answer'];
}

export const evaluateRouting = (router: TrainedRouter, train: readonly PreparedRecord[], test: readonly PreparedRecord[], split: string, policies: readonly string[], extras: EvalExtras = {}): EvalReport => {
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
  // Each model's mean quality and cost on train: what the cascade's chains and the panels are chosen by.
  const trained = [...router.byModel];
  const trainMeans = { trainQuality: new Map(trained.map(([m, t]) => [m, t.trainQuality])), trainCost: new Map(trained.map(([m, t]) => [m, t.trainCost])) };
  let cascadePoints: EvalReport['cascadeOperatingPoints'] = null;
  if (policies.includes('cascade') && extras.cascadeScore) {
    const inputs: CascadeInputs = { score: extras.cascadeScore, ...trainMeans };
    const curve = cascadeCurve(test, inputs);
    if (curve.length > 0) curves['cascade'] = curve;
    if (extras.cascadeTrainScore) {
      const chosen = chooseCascadePoints(train, { ...inputs, score: extras.cascadeTrainScore }, test, curve, TARGET_COST_SHARE);
      cascadePoints = chosen ? { ...chosen, costShare: TARGET_COST_SHARE } : null;
    }
  }
  let panelPoints: EvalReport['panelOperatingPoints'] = null;
  if (policies.includes('panel') && extras.panelAnswer) {
    const inputs: PanelInputs = { answer: extras.panelAnswer, ...trainMeans };
    const configs = panelConfigs(inputs);
    const curve = panelCurve(test, inputs, configs);
    if (curve.length > 0 && configs[0]) {
      curves['panel'] = curve;
      // Nothing is fitted: the panel (members, free-text setting) is what train chooses.
      panelPoints = { ...chooseOnTrain({ strong: configs[0].strong, train, test, trainCurve: panelCurve(train, inputs, configs), testCurve: curve, costShare: TARGET_COST_SHARE }), costShare: TARGET_COST_SHARE };
    }
  }
  const oof = policies.includes('utility') || policies.includes('utility+panel') ? outOfFoldPredictions(train, router) : null;
  let guardedPoints: EvalReport['guardedOperatingPoints'] = null;
  if (policies.includes('utility+panel') && extras.panelAnswer && oof) {
    const configs = panelConfigs(trainMeans);
    const lambdas = lambdasFor(router);
    const testPoints = guardedUtilitySweep(test, preds, lambdas, configs, extras.panelAnswer);
    if (configs[0]) {
      // The panel and λ are chosen on train (out-of-fold predictions); the curve is the chosen panel's λ sweep on test.
      const chosen = chooseOnTrain({ strong: configs[0].strong, train, test, trainCurve: guardedUtilitySweep(train, oof, lambdas, configs, extras.panelAnswer), testCurve: testPoints, costShare: TARGET_COST_SHARE });
      guardedPoints = { ...chosen, costShare: TARGET_COST_SHARE };
      const panel = (chosen.withinShare ?? chosen.reachBest)?.chain;
      if (panel !== undefined) curves['utility+panel'] = testPoints.filter((p) => p.chain === panel);
    }
  }
  const report = (curve: CurvePoint[]): PolicyReport => ({
    curve,
    aiq: aiq(curve, Math.min(...costs), Math.max(...costs)),
    costRatioAtBestQuality: costRatioAtQuality(curve, best.quality, best.cost_usd),
    qualityAtBestCost: qualityAtCost(curve, best.cost_usd),
    qualityAt30PctCost: qualityAtCost(curve, TARGET_COST_SHARE * best.cost_usd),
    mixed: {
      costRatioAtBestQuality: mixedCostRatioAtQuality(curve, best.quality, best.cost_usd),
      qualityAtBestCost: mixedQualityAtCost(curve, best.cost_usd),
      qualityAt30PctCost: mixedQualityAtCost(curve, TARGET_COST_SHARE * best.cost_usd),
    },
    singleModelsAbove: modelsAboveCurve(curve, baselines),
  });
  const op = policies.includes('utility') && oof ? chooseUtilityLambdas(train, router, lambdasFor(router), TARGET_COST_SHARE, oof) : null;
  const onTest = (p: OperatingPoint | null): (Outcome & { costRatio: number }) | null => {
    if (!p || !op) return null;
    const o = run(test, (r) => chooseByUtility(preds.get(r.id) ?? [], p.lambda)?.model);
    return { ...o, costRatio: o.cost_usd / Math.max(1e-12, baselines[op.target]?.cost_usd ?? 0) };
  };
  const byTask = taskLabelPredictor(train, models);
  const references: Record<string, PolicyReport> = byTask ? { 'task-labels': report(lambdasFor(router).map((lambda) => ({ ...run(test, (r) => chooseByUtility(byTask(r), lambda)?.model), param: lambda }))) } : {};
  return {
    n_train: train.length, n_test: test.length, split, cost: 'total USD over the test prompts',
    baselines, random, oracle: oracle(test, models), bestModel, references, predictions: predictionDiagnostics(test, preds, models),
    operatingPoints: op ? { ...op, test: { reachBest: onTest(op.reachBest), withinShare: onTest(op.withinShare) } } : null,
    cascadeOperatingPoints: cascadePoints,
    panelOperatingPoints: panelPoints,
    guardedOperatingPoints: guardedPoints,
    ceiling: taskCeiling(test, models, bestModel, TARGET_COST_SHARE, extras.panelAnswer),
    policies: Object.fromEntries(Object.entries(curves).map(([name, curve]) => [name, report(curve)])),
    training: router.clusters ? { clusters: router.clusters.centroids.length, byTask: router.clusters.kind === 'tasks', taskAgreement: taskAgreement(router, test), blend: router.clusters.blend, cvBrier: Number(router.clusters.brier.toFixed(4)) } : null,
  };
};
