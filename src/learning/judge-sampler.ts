/**
 * Which answers the judge sees: the sampling probability follows traffic. Below the first
 * threshold every answer is judged (at low volume each one matters and costs little in total);
 * above it a falling share, so judge spend grows far slower than traffic. The rate is a sliding
 * one-minute estimate (the current minute's count plus the previous minute's, weighted by how much
 * of it is still inside the window): O(1), no timers.
 */
export interface SamplingStep {
  /** Applies while the request rate is at most this many per minute (omit on the last step). */
  upToPerMinute?: number;
  /** Probability of judging an answer at that rate. */
  rate: number;
}

export interface JudgeSampler {
  /** Counts one answered request and says whether to judge it. */
  sample(now: number, random: () => number): boolean;
  /** Requests per minute as currently estimated. */
  ratePerMinute(now: number): number;
  probability(now: number): number;
}

const MINUTE = 60_000;

export const createJudgeSampler = (steps: readonly SamplingStep[]): JudgeSampler => {
  let minute = -1;
  let current = 0;
  let previous = 0;
  const roll = (now: number): void => {
    const m = Math.floor(now / MINUTE);
    if (m === minute) return;
    previous = m === minute + 1 ? current : 0;
    current = 0;
    minute = m;
  };
  const ratePerMinute = (now: number): number => {
    roll(now);
    const elapsed = (now % MINUTE) / MINUTE;
    return current + previous * (1 - elapsed);
  };
  const probability = (now: number): number => {
    const r = ratePerMinute(now);
    const step = steps.find((s) => s.upToPerMinute === undefined || r <= s.upToPerMinute);
    return step?.rate ?? 0;
  };
  return {
    sample(now, random) {
      const p = probability(now);
      current += 1;
      return random() < p;
    },
    ratePerMinute,
    probability,
  };
};
