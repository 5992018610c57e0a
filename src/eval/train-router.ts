import { trainLogistic, type LogisticModel } from '../routing/logistic-model.js';
import { VECTOR_SIZE } from '../routing/text-vector.js';
import type { Prediction } from '../routing/choose-target.js';
import type { PreparedRecord } from './prepare-records.js';

/** What training learns, per model: P(acceptable answer | prompt) and the expected cost of a prompt. */
export interface TrainedRouter {
  models: string[];
  quality: Map<string, LogisticModel>;
  /** Mean USD cost per input token, per model (cost grows with the prompt; output is folded in). */
  costPerInputToken: Map<string, number>;
  /** The same per model and detected task type, when the train split has enough of that task. */
  costPerInputTokenByTask: Map<string, number>;
  /** Mean quality on the train split, per model. */
  trainQuality: Map<string, number>;
  trainCost: Map<string, number>;
}

const MIN_TASK_ROWS = 30;

export const modelsOf = (records: readonly PreparedRecord[]): string[] => {
  const seen = new Set<string>();
  for (const r of records) for (const m of r.quality.keys()) if (r.costUsd.has(m)) seen.add(m);
  return [...seen].sort();
};

export const trainRouter = (train: readonly PreparedRecord[], onModel?: (model: string) => void): TrainedRouter => {
  const models = modelsOf(train);
  const quality = new Map<string, LogisticModel>();
  const costPerInputToken = new Map<string, number>();
  const costPerInputTokenByTask = new Map<string, number>();
  const trainQuality = new Map<string, number>();
  const trainCost = new Map<string, number>();
  for (const m of models) {
    const rows = train.filter((r) => r.quality.has(m) && r.costUsd.has(m));
    // Soft labels: a score in [0,1] is the target probability (binary scores are the usual case).
    quality.set(m, trainLogistic(rows.map((r) => r.vector), rows.map((r) => r.quality.get(m) ?? 0), VECTOR_SIZE, { seed: 7 }));
    const cost = rows.reduce((a, r) => a + (r.costUsd.get(m) ?? 0), 0);
    const tokens = rows.reduce((a, r) => a + Math.max(1, r.inputTokens), 0);
    costPerInputToken.set(m, tokens > 0 ? cost / tokens : 0);
    // Output length depends on the task far more than on the prompt (code vs multiple choice).
    const byTask = new Map<string, { cost: number; tokens: number; n: number }>();
    for (const r of rows) {
      const agg = byTask.get(r.taskType) ?? { cost: 0, tokens: 0, n: 0 };
      agg.cost += r.costUsd.get(m) ?? 0;
      agg.tokens += Math.max(1, r.inputTokens);
      agg.n += 1;
      byTask.set(r.taskType, agg);
    }
    for (const [task, agg] of byTask) if (agg.n >= MIN_TASK_ROWS) costPerInputTokenByTask.set(`${m}\u0000${task}`, agg.cost / agg.tokens);
    trainQuality.set(m, rows.reduce((a, r) => a + (r.quality.get(m) ?? 0), 0) / Math.max(1, rows.length));
    trainCost.set(m, cost / Math.max(1, rows.length));
    onModel?.(m);
  }
  return { models, quality, costPerInputToken, costPerInputTokenByTask, trainQuality, trainCost };
};

export const predict = (router: TrainedRouter, r: PreparedRecord): Prediction[] =>
  router.models.map((m) => ({
    model: m,
    pQuality: router.quality.get(m)?.predict(r.vector) ?? 0,
    costUsd: (router.costPerInputTokenByTask.get(`${m}\u0000${r.taskType}`) ?? router.costPerInputToken.get(m) ?? 0) * Math.max(1, r.inputTokens),
  }));


