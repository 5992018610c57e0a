import type { Features, TaskType } from '../spec/routing.js';

/**
 * Drift detection: the distribution of request features (and of outcomes) in a sliding window
 * against a reference window. Feature groups are compared with KL(window ‖ reference) over bins,
 * with add-½ smoothing so an empty reference bin does not make the divergence infinite; the
 * window is the "new" distribution, so mass appearing where the reference had little (a task that
 * was rare becomes common) is what drives the alarm. O(bins) per observation, no timers.
 */
export interface DriftMonitorOptions {
  windowSize?: number;
  referenceSize?: number;
  /** Alarm level in nats (default 0.1). */
  threshold?: number;
  /** Relative change of mean latency that counts as drift (default 0.5 = +50%). */
  latencyChange?: number;
  /**
   * Smallest absolute change of mean latency (ms) that can count (default 20): +50% of a 1 ms
   * in-process path is scheduler and GC noise, not a provider slowing down.
   */
  latencyMinMs?: number;
  /** z-score of an error-rate or reward shift that counts as drift (default 4). */
  z?: number;
}

export interface DriftEvent {
  at: number;
  kind: 'features' | 'outcomes';
  group: string;
  value: number;
  /** Feature drift: the task types whose share of traffic at least doubled (where to explore). */
  grownTasks?: string[];
}

export interface DriftOutcome {
  reward?: number;
  latencyMs?: number;
  error?: boolean;
}

const TASKS: readonly TaskType[] = ['classification', 'extraction', 'translation', 'sentiment', 'qa', 'math', 'code', 'reasoning', 'writing', 'summarization', 'chat'];
const LANGS = ['en', 'fr', 'de', 'es', 'zh', 'ja', 'ko', 'ru', 'ar', 'hi'];
const GROUPS: ReadonlyArray<[string, number, (f: Features) => number]> = [
  ['task', TASKS.length, (f) => Math.max(0, TASKS.indexOf(f.taskType))],
  ['input_tokens', 14, (f) => Math.min(13, Math.floor(Math.log2(1 + f.inputTokens)))],
  ['markers', 8, (f) => (f.hasCode ? 1 : 0) + (f.hasMath ? 2 : 0) + (f.hasReasoningKeywords ? 4 : 0)],
  ['language', LANGS.length + 1, (f) => {
    const i = LANGS.indexOf(f.language);
    return i < 0 ? LANGS.length : i;
  }],
];

const kl = (window: Uint32Array, wTotal: number, reference: Uint32Array, rTotal: number): number => {
  const k = window.length;
  let d = 0;
  for (let i = 0; i < k; i++) {
    const p = ((window[i] ?? 0) + 0.5) / (wTotal + 0.5 * k);
    const q = ((reference[i] ?? 0) + 0.5) / (rTotal + 0.5 * k);
    d += p * Math.log(p / q);
  }
  return d;
};

interface Moments { n: number; sum: number; sumSq: number }
const emptyMoments = (): Moments => ({ n: 0, sum: 0, sumSq: 0 });
const push = (m: Moments, x: number, sign: 1 | -1): void => {
  m.n += sign;
  m.sum += sign * x;
  m.sumSq += sign * x * x;
};
/**
 * z of the difference of two means (Welch), 0 when either side is too small to say or the shift is
 * smaller than `minEffect`: checked after every request, a bare z-test would alarm on noise sooner
 * or later (many correlated looks), so a shift must also be large enough to matter.
 */
const zOf = (a: Moments, b: Moments, minEffect: number): number => {
  if (a.n < 30 || b.n < 30) return 0;
  const ma = a.sum / a.n;
  const mb = b.sum / b.n;
  if (Math.abs(ma - mb) < minEffect) return 0;
  const va = Math.max(1e-9, a.sumSq / a.n - ma * ma);
  const vb = Math.max(1e-9, b.sumSq / b.n - mb * mb);
  return Math.abs(ma - mb) / Math.sqrt(va / a.n + vb / b.n);
};

export const createDriftMonitor = (options: DriftMonitorOptions = {}) => {
  const windowSize = options.windowSize ?? 500;
  const referenceSize = options.referenceSize ?? 2_000;
  const threshold = options.threshold ?? 0.1;
  const latencyChange = options.latencyChange ?? 0.5;
  const latencyMinMs = options.latencyMinMs ?? 20;
  const zLimit = options.z ?? 4;
  const refCounts = GROUPS.map(([, bins]) => new Uint32Array(bins));
  const winCounts = GROUPS.map(([, bins]) => new Uint32Array(bins));
  const ring = GROUPS.map(() => new Int32Array(windowSize));
  // The window's outcomes in typed arrays (NaN: not given), not one object per request: objects
  // held for a window's worth of requests outlive young-generation collections and are copied and
  // promoted on every request.
  const ringReward = new Float64Array(windowSize).fill(NaN);
  const ringLatency = new Float64Array(windowSize).fill(NaN);
  const ringError = new Float64Array(windowSize).fill(NaN);
  const ref = { reward: emptyMoments(), latency: emptyMoments(), error: emptyMoments() };
  const win = { reward: emptyMoments(), latency: emptyMoments(), error: emptyMoments() };
  let seen = 0;
  let refTotal = 0;
  let drifting = false;
  let last: DriftEvent | null = null;
  const current: Record<string, number> = {};

  const addOutcome = (target: typeof ref, reward: number, latencyMs: number, error: number, sign: 1 | -1): void => {
    if (!Number.isNaN(reward)) push(target.reward, reward, sign);
    if (!Number.isNaN(latencyMs)) push(target.latency, latencyMs, sign);
    if (!Number.isNaN(error)) push(target.error, error, sign);
  };

  /** Task types whose share in the window is at least twice the reference's (smoothed), on at least 10 requests. */
  const grownTasks = (): string[] => {
    const w = winCounts[0]!;
    const r = refCounts[0]!;
    const k = TASKS.length;
    return TASKS.filter((_, i) => (w[i] ?? 0) >= 10 && (w[i] ?? 0) / windowSize >= (2 * ((r[i] ?? 0) + 0.5)) / (refTotal + 0.5 * k));
  };

  const check = (): DriftEvent | null => {
    let worst: DriftEvent | null = null;
    GROUPS.forEach(([name], g) => {
      const d = kl(winCounts[g]!, windowSize, refCounts[g]!, refTotal);
      current[name] = d;
      if (d > threshold && (!worst || d > worst.value)) worst = { at: seen, kind: 'features', group: name, value: d };
    });
    const winMs = win.latency.sum / Math.max(1, win.latency.n);
    const refMs = ref.latency.sum / Math.max(1, ref.latency.n);
    const lat = win.latency.n > 30 && ref.latency.n > 30 && Math.abs(winMs - refMs) >= latencyMinMs ? winMs / refMs - 1 : 0;
    current['latency'] = lat;
    current['error_rate_z'] = zOf(win.error, ref.error, 0.05);
    current['reward_z'] = zOf(win.reward, ref.reward, 0.1);
    if (!worst && Math.abs(lat) > latencyChange) worst = { at: seen, kind: 'outcomes', group: 'latency', value: lat };
    if (!worst && (current['error_rate_z'] ?? 0) > zLimit) worst = { at: seen, kind: 'outcomes', group: 'error_rate', value: current['error_rate_z'] ?? 0 };
    if (!worst && (current['reward_z'] ?? 0) > zLimit) worst = { at: seen, kind: 'outcomes', group: 'reward', value: current['reward_z'] ?? 0 };
    return worst;
  };

  return {
    /** Records one request; returns a drift event when the window first diverges from the reference. */
    observe(features: Features, outcome?: DriftOutcome): DriftEvent | null {
      seen += 1;
      const reward = outcome?.reward ?? NaN;
      const latencyMs = outcome?.latencyMs ?? NaN;
      const error = outcome?.error === undefined ? NaN : outcome.error ? 1 : 0;
      if (refTotal < referenceSize) {
        GROUPS.forEach(([, , bin], g) => refCounts[g]![bin(features)]! += 1);
        addOutcome(ref, reward, latencyMs, error, 1);
        refTotal += 1;
        return null;
      }
      const slot = (seen - refTotal - 1) % windowSize;
      const full = seen - refTotal > windowSize;
      GROUPS.forEach(([, , bin], g) => {
        if (full) winCounts[g]![ring[g]![slot]!]! -= 1;
        const b = bin(features);
        ring[g]![slot] = b;
        winCounts[g]![b]! += 1;
      });
      if (full) addOutcome(win, ringReward[slot] ?? NaN, ringLatency[slot] ?? NaN, ringError[slot] ?? NaN, -1);
      ringReward[slot] = reward;
      ringLatency[slot] = latencyMs;
      ringError[slot] = error;
      addOutcome(win, reward, latencyMs, error, 1);
      if (seen - refTotal < windowSize) return null;
      const event = check();
      if (event && !drifting) {
        drifting = true;
        last = event.kind === 'features' ? { ...event, grownTasks: grownTasks() } : event;
        return last;
      }
      // Re-arm once every measure is well below its alarm level again.
      if (!event && drifting && Object.entries(current).every(([k, v]) => (k.endsWith('_z') ? v < zLimit / 2 : k === 'latency' ? Math.abs(v) < latencyChange / 2 : v < threshold / 2))) drifting = false;
      return null;
    },
    status: () => ({ drifting, observed: seen, reference: refTotal, divergence: { ...current }, last }),
    /** After a retrain: the next `referenceSize` requests form the new reference. */
    rebaseline(): void {
      for (const c of [...refCounts, ...winCounts]) c.fill(0);
      for (const m of [ref, win]) Object.assign(m, { reward: emptyMoments(), latency: emptyMoments(), error: emptyMoments() });
      seen = 0;
      refTotal = 0;
      drifting = false;
    },
  };
};
export type DriftMonitor = ReturnType<typeof createDriftMonitor>;
