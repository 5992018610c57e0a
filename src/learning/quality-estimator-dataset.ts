import type { DatasetRecord } from '../datasets/dataset-record.js';
import { extractFeatures } from '../routing/extract-features.js';
import type { CalibrationReport } from './quality-estimator-metrics.js';
import { calibrationReport } from './quality-estimator-metrics.js';
import type { LabelledAnswer, QualityEstimator } from './quality-estimator.js';

/** One labelled answer per (prompt, model) that has both a real response text and a score. */
export const answersOf = (records: readonly DatasetRecord[]): Array<LabelledAnswer & { task: string }> => {
  const out: Array<LabelledAnswer & { task: string }> = [];
  for (const r of records) {
    const features = extractFeatures({ model: 'estimator', messages: r.messages, stream: false, includeUsage: false });
    for (const [model, text] of Object.entries(r.responses ?? {})) {
      const label = r.scores[model];
      if (label === null || label === undefined) continue;
      out.push({ input: { features, responseText: text, finishReason: 'stop', model, outputTokens: r.outputTokens?.[model] }, label, task: r.task });
    }
  }
  return out;
};

export interface EstimatorEvalReport {
  overall: CalibrationReport;
  byTask: Record<string, CalibrationReport>;
  /** The same metrics for the prior alone (mean acceptance per model × task on the train split). */
  priorBaseline: CalibrationReport;
}

/** Held-out metrics of `estimator` on `test`, beside a model × task prior learned from `train`. */
export const evaluateEstimator = (
  estimator: QualityEstimator,
  train: ReadonlyArray<LabelledAnswer & { task: string }>,
  test: ReadonlyArray<LabelledAnswer & { task: string }>,
): EstimatorEvalReport => {
  const prior = new Map<string, { sum: number; n: number }>();
  for (const e of train) {
    const k = `${e.input.model}|${e.task}`;
    const agg = prior.get(k) ?? { sum: 0, n: 0 };
    agg.sum += e.label;
    agg.n += 1;
    prior.set(k, agg);
  }
  const ps = test.map((e) => estimator.score(e.input));
  const ys = test.map((e) => e.label);
  const priorPs = test.map((e) => {
    const agg = prior.get(`${e.input.model}|${e.task}`);
    return agg ? agg.sum / agg.n : 0.5;
  });
  const byTask: Record<string, CalibrationReport> = {};
  for (const task of [...new Set(test.map((e) => e.task))].sort()) {
    const idx = test.flatMap((e, i) => (e.task === task ? [i] : []));
    byTask[task] = calibrationReport(idx.map((i) => ps[i] ?? 0), idx.map((i) => ys[i] ?? 0));
  }
  return { overall: calibrationReport(ps, ys), byTask, priorBaseline: calibrationReport(priorPs, ys) };
};
