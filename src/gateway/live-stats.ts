import type { StatsView, TargetStats } from '../spec/routing.js';

const WINDOW = 128;
/** Recompute percentiles every N samples: reads stay O(1) on the request path. */
const REFRESH_EVERY = 16;
/** Weight of the newest outcome in the error-rate EWMA. */
const ERROR_ALPHA = 0.05;

interface Series {
  requests: number;
  errorRate: number;
  ttft: Float64Array;
  ttftCount: number;
  latency: Float64Array;
  latencyCount: number;
  tokensPerSecond: number | null;
  view: TargetStats;
}

export interface AttemptSample {
  ok: boolean;
  latencyMs: number;
  ttftMs: number | null;
  outputTokens: number;
}

export interface LiveStats extends StatsView {
  record(targetId: string, sample: AttemptSample): void;
}

/** Reused by p95: a typed array sorts numerically in native code (no comparator calls, no boxing). */
const scratch = new Float64Array(WINDOW);

const p95 = (ring: Float64Array, count: number): number | null => {
  const n = Math.min(count, ring.length);
  if (n === 0) return null;
  const sorted = scratch.subarray(0, n);
  sorted.set(ring.subarray(0, n));
  sorted.sort();
  return sorted[Math.min(n - 1, Math.floor(n * 0.95))] ?? null;
};

/** Per-target live latency and error statistics (in-process; policies read them through StatsView). */
export const createLiveStats = (): LiveStats => {
  const series = new Map<string, Series>();
  const seriesOf = (id: string): Series => {
    let s = series.get(id);
    if (!s) {
      s = {
        requests: 0,
        errorRate: 0,
        ttft: new Float64Array(WINDOW),
        ttftCount: 0,
        latency: new Float64Array(WINDOW),
        latencyCount: 0,
        tokensPerSecond: null,
        view: { requests: 0, errorRate: 0, ttftP95Ms: null, latencyP95Ms: null, tokensPerSecond: null },
      };
      series.set(id, s);
    }
    return s;
  };
  return {
    get: (id) => series.get(id)?.view,
    record(id, sample) {
      const s = seriesOf(id);
      s.requests += 1;
      s.errorRate += ERROR_ALPHA * ((sample.ok ? 0 : 1) - s.errorRate);
      if (sample.ok) {
        s.latency[s.latencyCount++ % WINDOW] = sample.latencyMs;
        if (sample.ttftMs !== null) {
          s.ttft[s.ttftCount++ % WINDOW] = sample.ttftMs;
          const genMs = sample.latencyMs - sample.ttftMs;
          if (sample.outputTokens > 0 && genMs > 0) {
            const tps = (sample.outputTokens * 1000) / genMs;
            s.tokensPerSecond = s.tokensPerSecond === null ? tps : s.tokensPerSecond + 0.1 * (tps - s.tokensPerSecond);
          }
        }
      }
      const refresh = s.requests <= REFRESH_EVERY || s.requests % REFRESH_EVERY === 0;
      s.view = {
        requests: s.requests,
        errorRate: s.errorRate,
        ttftP95Ms: refresh ? p95(s.ttft, s.ttftCount) : s.view.ttftP95Ms,
        latencyP95Ms: refresh ? p95(s.latency, s.latencyCount) : s.view.latencyP95Ms,
        tokensPerSecond: s.tokensPerSecond,
      };
    },
  };
};
