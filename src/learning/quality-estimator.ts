import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { logisticFromJSON, trainLogistic, type LogisticModel } from '../routing/logistic-model.js';
import type { SparseVector } from '../routing/text-vector.js';
import { ESTIMATOR_VECTOR_SIZE, estimatorVector, type EstimatorInput } from './quality-estimator-features.js';

/**
 * The quality estimator: P(a human would accept this answer | query, response). A logistic
 * regression over response features (learning/quality-estimator-features), then Platt scaling
 * fitted on a held-out slice of the training data so its probabilities are calibrated.
 */
export interface QualityEstimator {
  readonly version: string;
  score(input: EstimatorInput): number;
  /** The same score from the answer's feature vector (`estimatorVector`), which an online learner keeps instead of the text. */
  scoreVector(x: SparseVector): number;
  /**
   * One online step (SGD on the log loss of the calibrated score, Platt's a and b fixed) toward a
   * label that arrived later: a person's or the judge's verdict on the answer `x` describes.
   */
  learn(x: SparseVector, label: number, learningRate: number): void;
  /** The current weights (the file's `model` shape): what online learning changed, for a versioned snapshot. */
  weightsJSON(): { size: number; weights: Record<number, number> };
  /** Replaces the weights by a `weightsJSON()` of an estimator with the same version; a size mismatch is an error. */
  loadWeights(json: { size: number; weights: Record<string, number> }): void;
}

export interface LabelledAnswer {
  input: EstimatorInput;
  /** Acceptance in [0,1] (a 0/1 score, a judge's normalised score, or user feedback). */
  label: number;
}

export const ESTIMATOR_FORMAT = 1;
const fileSchema = z.strictObject({
  format: z.literal(ESTIMATOR_FORMAT),
  kind: z.literal('switchyard-quality-estimator'),
  version: z.string().min(1),
  createdAt: z.string(),
  trainedOn: z.strictObject({ data: z.string(), examples: z.number().int().nonnegative() }),
  model: z.strictObject({ size: z.number().int().positive(), weights: z.record(z.string(), z.number()) }),
  platt: z.strictObject({ a: z.number(), b: z.number() }),
});
export type EstimatorFile = z.infer<typeof fileSchema>;

const logit = (p: number): number => Math.log(Math.max(1e-6, p) / Math.max(1e-6, 1 - p));
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Platt scaling: fit y ≈ σ(a·logit(p) + b) by Newton's method on the log loss (2 parameters). */
export const fitPlatt = (ps: readonly number[], ys: readonly number[]): { a: number; b: number } => {
  // Start flat (q = ½ everywhere, the best-conditioned Hessian) and cap each step: plain Newton
  // from the identity map overshoots when the raw model is very over-confident.
  let a = 0;
  let b = 0;
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    ps.forEach((p, i) => {
      const x = logit(p);
      const q = sigmoid(a * x + b);
      const g = q - (ys[i] ?? 0);
      const w = Math.max(1e-9, q * (1 - q));
      ga += g * x;
      gb += g;
      haa += w * x * x;
      hab += w * x;
      hbb += w;
    });
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-12) break;
    const clamp = (v: number): number => Math.max(-2, Math.min(2, v));
    const da = clamp((hbb * ga - hab * gb) / det);
    const db = clamp((haa * gb - hab * ga) / det);
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a, b };
};

const fromParts = (version: string, model: LogisticModel, platt: { a: number; b: number }): QualityEstimator => {
  const scoreVector = (x: SparseVector): number => sigmoid(platt.a * logit(model.predict(x)) + platt.b);
  return {
    version,
    scoreVector,
    score: (input) => scoreVector(estimatorVector(input)),
    learn(x, label, learningRate) {
      // ∂ log loss / ∂w = (q − y)·a·x with q the calibrated score; logit(σ(w·x)) is w·x up to the clamp.
      const g = (scoreVector(x) - label) * platt.a * learningRate;
      const w = model.weights;
      for (let i = 0; i < x.indices.length; i++) {
        const k = x.indices[i] ?? 0;
        w[k] = (w[k] ?? 0) - g * (x.values[i] ?? 0);
      }
    },
    weightsJSON: () => model.toJSON(),
    loadWeights(json) {
      const w = model.weights;
      if (json.size !== w.length) throw new Error(`estimator weights: expected size ${w.length}, got ${json.size}`);
      const entries = Object.entries(json.weights).map(([i, v]) => [Number(i), v] as const);
      // Checked in full before anything is overwritten: a bad snapshot leaves the weights as they were.
      const bad = entries.find(([k, v]) => !Number.isInteger(k) || k < 0 || k >= w.length || !Number.isFinite(v));
      if (bad) throw new Error(`estimator weights: bad entry ${bad[0]}: ${bad[1]}`);
      w.fill(0);
      for (const [k, v] of entries) w[k] = v;
    },
  };
};

export interface TrainedEstimator {
  estimator: QualityEstimator;
  file: EstimatorFile;
}

/** Trains on 80% of the examples and calibrates on the remaining 20% (every fifth example). */
export const trainQualityEstimator = (examples: readonly LabelledAnswer[], data: string, now = new Date()): TrainedEstimator => {
  const fit = examples.filter((_, i) => i % 5 !== 4);
  const calib = examples.filter((_, i) => i % 5 === 4);
  const model = trainLogistic(fit.map((e) => estimatorVector(e.input)), fit.map((e) => e.label), ESTIMATOR_VECTOR_SIZE, { seed: 11, epochs: 6, learningRate: 0.3, l2: 1e-5 });
  const platt = calib.length >= 20 ? fitPlatt(calib.map((e) => model.predict(estimatorVector(e.input))), calib.map((e) => e.label)) : { a: 1, b: 0 };
  const json = model.toJSON();
  const version = createHash('sha256').update(JSON.stringify({ json, platt })).digest('hex').slice(0, 10);
  const file: EstimatorFile = {
    format: ESTIMATOR_FORMAT, kind: 'switchyard-quality-estimator', version, createdAt: now.toISOString(),
    trainedOn: { data, examples: examples.length }, model: json, platt,
  };
  return { estimator: fromParts(version, model, platt), file };
};

export const estimatorFromFile = (file: EstimatorFile): QualityEstimator => fromParts(file.version, logisticFromJSON(file.model), file.platt);

export const loadQualityEstimator = async (path: string): Promise<QualityEstimator> => {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read quality estimator ${path}: ${(err as Error).message}`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`${path} is not a switchyard quality estimator (format ${ESTIMATOR_FORMAT}): ${i?.path.join('.') ?? ''}: ${i?.message ?? ''}`);
  }
  return estimatorFromFile(parsed.data);
};

export const saveQualityEstimator = (path: string, file: EstimatorFile): Promise<void> => writeFile(path, JSON.stringify(file));
