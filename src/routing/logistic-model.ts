import type { SparseVector } from './text-vector.js';

/** A logistic regression over sparse vectors, trained by SGD with L2; weights serialise as JSON. */
export interface LogisticModel {
  /** The weights (read-only by convention): policies lay several models out side by side. */
  readonly weights: Float32Array;
  predict(x: SparseVector): number;
  toJSON(): { size: number; weights: Record<number, number> };
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  /** Deterministic shuffling: the same seed gives the same model. */
  seed?: number;
}

export const mulberry32 = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const fromWeights = (size: number, w: Float32Array): LogisticModel => ({
  weights: w,
  predict(x) {
    let z = 0;
    for (let i = 0; i < x.indices.length; i++) z += (w[x.indices[i] ?? 0] ?? 0) * (x.values[i] ?? 0);
    return sigmoid(z);
  },
  toJSON() {
    const weights: Record<number, number> = {};
    w.forEach((v, i) => {
      if (v !== 0) weights[i] = Number(v.toPrecision(6));
    });
    return { size, weights };
  },
});

export const trainLogistic = (xs: readonly SparseVector[], ys: readonly number[], size: number, options: TrainOptions = {}): LogisticModel => {
  const { epochs = 8, learningRate = 0.5, l2 = 1e-5, seed = 1 } = options;
  const w = new Float32Array(size);
  const order = xs.map((_, i) => i);
  const random = mulberry32(seed);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
    }
    const lr = learningRate / (1 + epoch);
    for (const k of order) {
      const x = xs[k];
      const y = ys[k];
      if (!x || y === undefined) continue;
      let z = 0;
      for (let i = 0; i < x.indices.length; i++) z += (w[x.indices[i] ?? 0] ?? 0) * (x.values[i] ?? 0);
      const g = sigmoid(z) - y;
      for (let i = 0; i < x.indices.length; i++) {
        const idx = x.indices[i] ?? 0;
        w[idx] = (w[idx] ?? 0) - lr * (g * (x.values[i] ?? 0) + l2 * (w[idx] ?? 0));
      }
    }
  }
  return fromWeights(size, w);
};

export const logisticFromJSON = (json: { size: number; weights: Record<string, number> }): LogisticModel => {
  const w = new Float32Array(json.size);
  for (const [i, v] of Object.entries(json.weights)) w[Number(i)] = v;
  return fromWeights(json.size, w);
};
