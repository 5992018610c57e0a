import type { ScoredArm } from './bandit-policy-choice.js';

/*
 * Thompson sampling among the plausible arms: each arm's reward is drawn from its posterior,
 * N(q̂ − λ·cost, (scale·width·√(q̂(1 − q̂)))²), and the best draw wins. An arm whose interval overlaps the
 * leader's keeps being tried in proportion to the chance that it is in fact better, so a cheaper arm
 * whose early estimate was unlucky is retried until its evidence settles it — not only through
 * uniform ε picks, the lock-in that UCB falls into once the leader's optimism no longer covers the
 * gap. Draws are not clamped to [0, 1], so that the probability of each pick (the logged propensity)
 * has the exact form below instead of a Monte-Carlo estimate.
 */

/** A standard normal draw from two uniforms (Box–Muller; the injected randomness stays the only source). */
const gaussian = (random: () => number): number => {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
};

/** Standard normal CDF (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
const normalCdf = (z: number): number => {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
};

/** Floor on a posterior spread, so that a fully known arm still has a well-defined draw. */
const MIN_SPREAD = 1e-6;
/**
 * Floor on the quality's variance q̂(1 − q̂): an arm whose quality looks like 0 or 1 is not known
 * exactly after a few answers (√0.05 ≈ 0.22, the spread of a 95% arm).
 */
const MIN_VARIANCE = 0.05;
/**
 * Posterior standard deviation of an arm's quality: one width is √(xᵀA⁻¹x), the spread of a mean of
 * unit-variance evidence, so a 0/1 quality of mean q̂ scales it by √(q̂(1 − q̂)) — one standard error at
 * scale 1. Using the variance's bound ¼ instead (twice that, near 0 or 1 far more) kept splitting
 * traffic between two arms that are both nearly always right when one is dearer by less than that spread.
 */
const spreadOf = (a: ScoredArm, scale: number): number => {
  const q = Math.min(1, Math.max(0, a.mean));
  return Math.max(MIN_SPREAD, scale * a.width * Math.sqrt(Math.max(MIN_VARIANCE, q * (1 - q))));
};
const centreOf = (a: ScoredArm): number => a.mean - a.penalty;

/** Index of the arm with the best sampled reward: one Thompson-sampling draw. */
export const thompsonDraw = (arms: readonly ScoredArm[], scale: number, random: () => number): number => {
  let best = 0;
  let bestReward = -Infinity;
  for (let i = 0; i < arms.length; i++) {
    const a = arms[i] as ScoredArm;
    const r = centreOf(a) + spreadOf(a, scale) * gaussian(random);
    if (r > bestReward) {
      bestReward = r;
      best = i;
    }
  }
  return best;
};

/** Standardised offsets of an arm's grid nodes: −5 to 5 by ½ (the winner's: Φ(−5) ≈ 3e-7) or by ¼ (a much narrower arm's). */
const SPAN = 5;
const grid = (step: number): number[] => Array.from({ length: Math.round((2 * SPAN) / step) + 1 }, (_, k) => -SPAN + k * step);
const OWN_OFFSETS = grid(0.5);
const NARROW_OFFSETS = grid(0.25);
/** An arm at most this many times narrower than the winner is resolved by the winner's own grid (its step is then ≤ one of the arm's spreads). */
const NARROW_RATIO = 0.5;
/** An arm whose CDF is within 1e-9 of 1 over the whole grid (its centre over 6 spreads below the grid) does not change the product. */
const FAR_BELOW = 6;

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
/** An integrand value this small (a density times CDFs, against nodes ~0.1 apart) changes a probability by under 1e-10. */
const NEGLIGIBLE = 1e-9;

/** Draw density of arm `index` at t times the other relevant arms' CDFs there: the integrand of its win probability. */
const winDensity = (centres: Float64Array, spreads: Float64Array, index: number, others: Int32Array, count: number, t: number): number => {
  const si = spreads[index] as number;
  const z = (t - (centres[index] as number)) / si;
  let g = (Math.exp(-0.5 * z * z) * INV_SQRT_2PI) / si;
  // Below NEGLIGIBLE the node adds nothing the trapezoid could resolve: stop multiplying CDFs.
  for (let k = 0; k < count && g > NEGLIGIBLE; k++) {
    const j = others[k] as number;
    g *= normalCdf((t - (centres[j] as number)) / (spreads[j] as number));
  }
  return g;
};

/**
 * Scratch arrays, grown when a call needs more and otherwise reused (a call is synchronous, so calls
 * never overlap): a typed array over 64 bytes is an off-heap allocation, and three of them per plan
 * showed in the bandit's decision tail (bench/routing).
 */
let centresBuf = new Float64Array(16);
let spreadsBuf = new Float64Array(16);
let othersBuf = new Int32Array(16);
let nodesBuf = new Float64Array(64);

/**
 * P(arm `index` has the best draw). Two arms: Φ((μᵢ − μⱼ) / √(sᵢ² + sⱼ²)), exact. More: ∫ fᵢ(t)
 * ∏_{j≠i} Fⱼ(t) dt (fᵢ, Fⱼ the draws' densities and CDFs) by the trapezoid rule on the winner's grid
 * (its centre ± 5 spreads by ½), joined by the grid (± 5 of its spreads by ¼) of every arm under
 * half as wide, so a narrow arm's CDF step and a wide arm's density are both resolved whatever
 * their ratio; arms whose centre is over 6 spreads below the grid (CDF ≈ 1 throughout) are left out
 * of the product. Deterministic; within about 6e-3 of the truth per arm (worst for an arm 0.5–0.75×
 * the winner's spread), so one call's probabilities sum to 1 within about 1e-2 (the test checks them
 * against the draws); 21·(k − 1) CDF evaluations at most when the spreads are within 2× (cold start).
 */
export const thompsonProbability = (arms: readonly ScoredArm[], index: number, scale: number): number => {
  const k = arms.length;
  if (k === 1) return 1;
  if (centresBuf.length < k) [centresBuf, spreadsBuf, othersBuf] = [new Float64Array(2 * k), new Float64Array(2 * k), new Int32Array(2 * k)];
  // Each arm's centre and spread once, not once per grid node.
  const centres = centresBuf;
  const spreads = spreadsBuf;
  for (let j = 0; j < k; j++) {
    const b = arms[j] as ScoredArm;
    centres[j] = centreOf(b);
    spreads[j] = spreadOf(b, scale);
  }
  const mi = centres[index] as number;
  const si = spreads[index] as number;
  if (k === 2) return normalCdf((mi - (centres[1 - index] as number)) / Math.hypot(si, spreads[1 - index] as number));
  const lo = mi - SPAN * si;
  const others = othersBuf;
  let count = 0;
  let narrow = 0;
  for (let j = 0; j < k; j++) {
    if (j === index || (lo - (centres[j] as number)) / (spreads[j] as number) > FAR_BELOW) continue;
    others[count++] = j;
    if ((spreads[j] as number) < NARROW_RATIO * si) narrow += 1;
  }
  const size = OWN_OFFSETS.length + NARROW_OFFSETS.length * narrow;
  if (nodesBuf.length < size) nodesBuf = new Float64Array(2 * size);
  const nodes = nodesBuf;
  let n = 0;
  for (const z of OWN_OFFSETS) nodes[n++] = mi + si * z;
  for (let o = 0; o < count && narrow > 0; o++) {
    const j = others[o] as number;
    const sj = spreads[j] as number;
    // A much narrower arm's CDF bends faster than the winner's grid resolves: add its own nodes.
    if (sj >= NARROW_RATIO * si) continue;
    for (const z of NARROW_OFFSETS) {
      const t = (centres[j] as number) + sj * z;
      if (Math.abs(t - mi) < SPAN * si) nodes[n++] = t;
    }
  }
  // The winner's grid alone is already in order.
  const ts = narrow > 0 ? nodes.subarray(0, n).sort() : nodes;
  let p = 0;
  let prevT = ts[0] as number;
  let prevG = winDensity(centres, spreads, index, others, count, prevT);
  for (let m = 1; m < n; m++) {
    const t = ts[m] as number;
    const g = winDensity(centres, spreads, index, others, count, t);
    p += ((t - prevT) * (g + prevG)) / 2;
    prevT = t;
    prevG = g;
  }
  return Math.min(1, Math.max(0, p));
};
