/**
 * One arm of a linear bandit: ridge regression of quality on the context, with A⁻¹ cached so that a
 * decision costs O(d²) (a few hundred multiply-adds for d = 16) and never inverts anything. Updates
 * (off the request path) apply Sherman–Morrison in O(d²); a full rebuild from the summed statistics
 * (other replicas' evidence, a restored snapshot) inverts A once by Cholesky-free Gauss–Jordan — d is
 * tiny, so a general-purpose linear-algebra library would cost more in loading than it saves.
 */
export interface ArmModel {
  readonly d: number;
  /** A⁻¹, row-major d×d. */
  ainv: Float64Array;
  /** b = Σ w·q·x (plus the prior). */
  b: Float64Array;
  /** θ = A⁻¹ b. */
  theta: Float64Array;
  /** Observations (summed weights). */
  n: number;
}

/** The summed statistics of one arm: the upper triangle of A − prior, b − prior, n. */
export interface ArmStats {
  readonly [field: string]: number;
}

export const aField = (i: number, j: number): string => (i <= j ? `a${i}_${j}` : `a${j}_${i}`);
export const bField = (i: number): string => `b${i}`;

const matVec = (m: Float64Array, x: ArrayLike<number>, d: number, out: Float64Array): Float64Array => {
  for (let i = 0; i < d; i++) {
    let s = 0;
    const row = i * d;
    for (let j = 0; j < d; j++) s += (m[row + j] ?? 0) * (x[j] ?? 0);
    out[i] = s;
  }
  return out;
};

/** Inverts a symmetric positive-definite matrix in place (Gauss–Jordan with partial pivoting). */
const invert = (a: Float64Array, d: number): Float64Array => {
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r * d + c] ?? 0) > Math.abs(a[p * d + c] ?? 0)) p = r;
    if (p !== c) {
      for (let k = 0; k < d; k++) {
        [a[c * d + k], a[p * d + k]] = [a[p * d + k] ?? 0, a[c * d + k] ?? 0];
        [inv[c * d + k], inv[p * d + k]] = [inv[p * d + k] ?? 0, inv[c * d + k] ?? 0];
      }
    }
    const pivot = a[c * d + c] ?? 1;
    for (let k = 0; k < d; k++) {
      a[c * d + k] = (a[c * d + k] ?? 0) / pivot;
      inv[c * d + k] = (inv[c * d + k] ?? 0) / pivot;
    }
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = a[r * d + c] ?? 0;
      if (f === 0) continue;
      for (let k = 0; k < d; k++) {
        a[r * d + k] = (a[r * d + k] ?? 0) - f * (a[c * d + k] ?? 0);
        inv[r * d + k] = (inv[r * d + k] ?? 0) - f * (inv[c * d + k] ?? 0);
      }
    }
  }
  return inv;
};

/**
 * Builds an arm from its summed statistics and a prior: A = s·I + Σ w x xᵀ, b = s·q₀·e₀ + Σ w q x, so
 * with no evidence θ predicts q₀ for every context (x₀ is the bias) with a wide confidence.
 */
export const buildArm = (d: number, stats: ArmStats | undefined, priorStrength: number, priorQuality: number): ArmModel => {
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    a[i * d + i] = priorStrength;
    for (let j = i; j < d; j++) {
      const v = stats?.[aField(i, j)] ?? 0;
      a[i * d + j] = (a[i * d + j] ?? 0) + v;
      if (j !== i) a[j * d + i] = (a[j * d + i] ?? 0) + v;
    }
    b[i] = stats?.[bField(i)] ?? 0;
  }
  b[0] = (b[0] ?? 0) + priorStrength * priorQuality;
  const ainv = invert(a, d);
  return { d, ainv, b, theta: matVec(ainv, b, d, new Float64Array(d)), n: stats?.['n'] ?? 0 };
};

/** The deltas one weighted observation adds to the shared statistics. */
export const observationDeltas = (x: readonly number[], quality: number, weight: number): Record<string, number> => {
  const deltas: Record<string, number> = { n: weight };
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] ?? 0;
    if (xi === 0) continue;
    deltas[bField(i)] = weight * quality * xi;
    for (let j = i; j < x.length; j++) {
      const xj = x[j] ?? 0;
      if (xj !== 0) deltas[aField(i, j)] = weight * xi * xj;
    }
  }
  return deltas;
};

/** Sherman–Morrison: the cached inverse after A += w x xᵀ, and θ after b += w q x. O(d²). */
export const updateArm = (arm: ArmModel, x: readonly number[], quality: number, weight: number): void => {
  const { d, ainv, b } = arm;
  const u = matVec(ainv, x, d, new Float64Array(d));
  let denom = 1;
  for (let i = 0; i < d; i++) denom += weight * (x[i] ?? 0) * (u[i] ?? 0);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) ainv[i * d + j] = (ainv[i * d + j] ?? 0) - (weight * (u[i] ?? 0) * (u[j] ?? 0)) / denom;
  }
  for (let i = 0; i < d; i++) b[i] = (b[i] ?? 0) + weight * quality * (x[i] ?? 0);
  matVec(ainv, b, d, arm.theta);
  arm.n += weight;
};

/** Indices of a context's non-zero entries (a one-hot task and a few markers: about 4 of 16). */
export const nonZeros = (x: readonly number[]): number[] => {
  const nz: number[] = [];
  for (let i = 0; i < x.length; i++) if ((x[i] ?? 0) !== 0) nz.push(i);
  return nz;
};

/**
 * Predicted quality θᵀx and its width √(xᵀA⁻¹x), for a context on the request path. Only the
 * context's non-zero entries are visited (`nz`, computed once per request for every arm), so a
 * prediction is |nz|² ≈ 16 multiply-adds instead of d² = 256.
 */
export const predictArm = (arm: ArmModel, x: readonly number[], nz: readonly number[] = nonZeros(x)): { mean: number; width: number } => {
  const { d, ainv, theta } = arm;
  let mean = 0;
  let quad = 0;
  for (const i of nz) {
    const xi = x[i] ?? 0;
    mean += (theta[i] ?? 0) * xi;
    let row = 0;
    for (const j of nz) row += (ainv[i * d + j] ?? 0) * (x[j] ?? 0);
    quad += xi * row;
  }
  return { mean, width: Math.sqrt(Math.max(0, quad)) };
};
