/**
 * Output length of a candidate's answer from the learned quantiles (0%, 10%, …, 100%) of its
 * model's answers to that kind of task, under a max-tokens cap. Linear between quantiles.
 */

/** P(an uncapped answer would fit in `cap` tokens). */
export const fitsProbability = (q: readonly number[], cap: number): number => {
  const last = q.length - 1;
  if (last < 1 || cap >= (q[last] ?? 0)) return 1;
  if (cap < (q[0] ?? 0)) return 0;
  for (let i = 1; i <= last; i++) {
    const hi = q[i] ?? 0;
    if (cap < hi) {
      const lo = q[i - 1] ?? 0;
      return (i - 1 + (cap - lo) / (hi - lo || 1)) / last;
    }
  }
  return 1;
};

/** E[min(length, cap)]: the tokens a capped answer is expected to bill (trapezoids between quantiles). */
export const expectedCappedLength = (q: readonly number[], cap: number): number => {
  const last = q.length - 1;
  if (last < 1) return Math.min(q[0] ?? 0, cap);
  let sum = 0;
  for (let i = 1; i <= last; i++) sum += (Math.min(q[i - 1] ?? 0, cap) + Math.min(q[i] ?? 0, cap)) / 2;
  return sum / last;
};

/** The 11 quantiles (0%, 10%, …, 100%) of a sample, nearest-rank between sorted values. */
export const quantiles11 = (values: readonly number[]): number[] => {
  const s = [...values].sort((a, b) => a - b);
  return Array.from({ length: 11 }, (_, i) => s[Math.min(s.length - 1, Math.round((i / 10) * (s.length - 1)))] ?? 0);
};
