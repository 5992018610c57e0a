import { trainLogistic, type LogisticModel } from '../routing/logistic-model.js';
import { quantiles11 } from '../routing/output-length.js';
import { VECTOR_SIZE } from '../routing/text-vector.js';
import type { Prediction } from '../routing/choose-target.js';
import { learnedCostUsd, type CostLine } from '../routing/predict-cost.js';
import { clusterOf, predictQuality } from '../routing/predict-quality.js';
import { fromArtifactFile, type RouterArtifact } from '../routing/router-artifact.js';
import { toArtifactFile } from './to-artifact-file.js';
import type { PreparedRecord } from './prepare-records.js';
import { chooseBlend } from './choose-blend.js';
import { trainClusterPriors, type ClusterKind } from './cluster-priors.js';
import { fitCostLines } from './fit-cost-lines.js';
import { ratioByTask } from './mean-by-task.js';

/** What training learns, per model: P(acceptable answer | prompt), expected cost and output length. */
export interface TrainedModel {
  quality: LogisticModel;
  /** Mean USD cost per input token (cost grows with the prompt; output is folded in). */
  costPerInputToken: number;
  /** The same per detected task type, when the train split has enough of that task. */
  costPerInputTokenByTask: Map<string, number>;
  /** Cost lines per learned prompt cluster (src/routing/predict-cost.ts), aligned with TrainedRouter.clusters. */
  costByCluster?: Array<CostLine | null>;
  /** Mean output tokens, overall and per task (absent when the set records none). */
  outputTokens?: { mean: number; byTask: Map<string, number>; quantiles: Map<string, number[]> };
  /** Mean quality per learned prompt cluster (aligned with TrainedRouter.clusters). */
  clusterQuality?: number[];
  /** Mean quality and cost per prompt on the train split. */
  trainQuality: number;
  trainCost: number;
}

export interface TrainedRouter {
  models: string[];
  byModel: Map<string, TrainedModel>;
  /** Two-model classifier: P(small is as good as large), trained on the same split. */
  classifier?: { small: string; large: string; model: LogisticModel };
  /** Prompt clusters and the text-vs-cluster weight, both chosen by cross-validation on train. */
  clusters?: { kind: ClusterKind; centroids: Float32Array[]; blend: number; brier: number; labels?: string[] };
}

/** P(quality) text model of one model: logistic regression, soft labels (a score in [0,1] is the target probability). */
const fitQuality = (rows: readonly PreparedRecord[], m: string): LogisticModel => {
  const own = rows.filter((r) => r.quality.has(m));
  return trainLogistic(own.map((r) => r.vector), own.map((r) => r.quality.get(m) ?? 0), VECTOR_SIZE, { seed: 7 });
};

export const modelsOf = (records: readonly PreparedRecord[]): string[] => {
  const seen = new Set<string>();
  for (const r of records) for (const m of r.quality.keys()) if (r.costUsd.has(m)) seen.add(m);
  return [...seen].sort();
};

/** Output length per task: mean and quantiles (`*` for all tasks), so a max-tokens cap can be priced and its truncation risk judged. */
const outputLengths = (rows: readonly PreparedRecord[], outOf: (r: PreparedRecord) => number): NonNullable<TrainedModel['outputTokens']> => {
  const byTask = ratioByTask(rows, outOf, () => 1);
  const quantiles = new Map<string, number[]>([['*', quantiles11(rows.map(outOf))]]);
  for (const task of byTask.keys()) quantiles.set(task, quantiles11(rows.filter((r) => r.taskType === task).map(outOf)));
  return { mean: rows.reduce((a, r) => a + outOf(r), 0) / rows.length, byTask, quantiles };
};

const trainModel = (train: readonly PreparedRecord[], m: string): TrainedModel => {
  const rows = train.filter((r) => r.quality.has(m) && r.costUsd.has(m));
  const costOf = (r: PreparedRecord): number => r.costUsd.get(m) ?? 0;
  const tokensOf = (r: PreparedRecord): number => Math.max(1, r.inputTokens);
  const cost = rows.reduce((a, r) => a + costOf(r), 0);
  const tokens = rows.reduce((a, r) => a + tokensOf(r), 0);
  const withOutput = rows.filter((r) => r.outputTokens.has(m));
  const outOf = (r: PreparedRecord): number => r.outputTokens.get(m) ?? 0;
  return {
    quality: fitQuality(rows, m),
    costPerInputToken: tokens > 0 ? cost / tokens : 0,
    // Output length depends on the task far more than on the prompt (code vs multiple choice).
    costPerInputTokenByTask: ratioByTask(rows, costOf, tokensOf),
    ...(withOutput.length > 0 ? { outputTokens: outputLengths(withOutput, outOf) } : {}),
    trainQuality: rows.reduce((a, r) => a + (r.quality.get(m) ?? 0), 0) / Math.max(1, rows.length),
    trainCost: cost / Math.max(1, rows.length),
  };
};

/**
 * The classifier's pair (RouteLLM's setting): the best model on train vs the cheapest other one.
 * The label is "small is good enough": its score is at least the large model's (a tie where both
 * fail also sends the prompt to the small one, since paying more would not have helped).
 */
const trainClassifier = (train: readonly PreparedRecord[], byModel: Map<string, TrainedModel>): TrainedRouter['classifier'] => {
  const ms = [...byModel.keys()];
  const large = [...ms].sort((a, b) => (byModel.get(b)?.trainQuality ?? 0) - (byModel.get(a)?.trainQuality ?? 0))[0];
  const small = ms.filter((m) => m !== large).sort((a, b) => (byModel.get(a)?.trainCost ?? 0) - (byModel.get(b)?.trainCost ?? 0))[0];
  if (large === undefined || small === undefined) return undefined;
  const rows = train.filter((r) => r.quality.has(small) && r.quality.has(large));
  const labels = rows.map((r) => ((r.quality.get(small) ?? 0) >= (r.quality.get(large) ?? 0) ? 1 : 0));
  return { small, large, model: trainLogistic(rows.map((r) => r.vector), labels, VECTOR_SIZE, { seed: 11 }) };
};

export interface TrainOptions {
  onStep?: (step: string) => void;
  /** Cross-validate the prompt clusters and their blend (default); off = the text model alone. */
  clusters?: boolean;
  /** Use this cluster count and blend instead of cross-validating them (training inside a CV fold). */
  structure?: { clusters: ClusterKind; blend: number };
}

export const trainRouter = (train: readonly PreparedRecord[], options: TrainOptions = {}): TrainedRouter => {
  const models = modelsOf(train);
  const byModel = new Map<string, TrainedModel>();
  for (const m of models) {
    byModel.set(m, trainModel(train, m));
    options.onStep?.(m);
  }
  const router: TrainedRouter = { models, byModel, classifier: trainClassifier(train, byModel) };
  if (options.clusters === false || train.length < 50) return router;
  const choice = options.structure ? { ...options.structure, brier: NaN } : chooseBlend(train, models, fitQuality);
  options.onStep?.('cross-validation');
  const priors = trainClusterPriors(train, models, choice.clusters);
  const clusterOfRow = train.map((r) => priors.assign(r));
  for (const [m, t] of byModel) {
    t.clusterQuality = priors.byModel.get(m);
    const points = train.flatMap((r, i) => {
      const usd = r.costUsd.get(m);
      return usd === undefined || !r.quality.has(m) ? [] : [{ cluster: clusterOfRow[i] ?? -1, tokens: Math.max(1, r.inputTokens), usd }];
    });
    t.costByCluster = fitCostLines(priors.centroids.length, points);
  }
  return { ...router, clusters: { kind: choice.clusters, centroids: priors.centroids, blend: choice.blend, brier: choice.brier, ...(priors.labels ? { labels: priors.labels } : {}) } };
};

const asArtifact = new WeakMap<TrainedRouter, RouterArtifact>();

/** The trained router as the gateway will read it (sparse centroids, rounded priors), built once. */
export const servedArtifact = (router: TrainedRouter): RouterArtifact => {
  let a = asArtifact.get(router);
  if (!a) asArtifact.set(router, (a = fromArtifactFile(toArtifactFile(router, 'memory', 0, new Date(0)))));
  return a;
};

/** Every model's predictions for a prompt, through the artefact exactly as the gateway reads it. */
export const predict = (router: TrainedRouter | RouterArtifact, r: PreparedRecord): Prediction[] => {
  const artifact = 'byModel' in router ? servedArtifact(router) : router;
  const cluster = clusterOf(artifact, r.vector);
  return [...artifact.models].map(([model, m]) => ({ model, pQuality: predictQuality(artifact, m, r.vector, cluster), costUsd: learnedCostUsd(m, r.taskType, cluster, r.inputTokens) }));
};
