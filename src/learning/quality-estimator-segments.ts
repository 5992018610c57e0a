import { LRUCache } from 'lru-cache';
/**
 * How far to trust the estimator, per segment (tenant, task type, route): each prediction is kept
 * (bounded, oldest dropped) until a stronger label — user feedback or a judge score — arrives for
 * the same decision; then the segment's running agreement, Brier score and calibration gap
 * (mean prediction − mean label) are updated. Segments where the estimator disagrees with people
 * are where its scores should weigh less.
 */
export interface Segment {
  tenant: string;
  taskType: string;
  route: string;
}

export interface SegmentConfidence {
  n: number;
  /** Share of labels on the same side of 0.5 as the prediction. */
  agreement: number;
  brier: number;
  /** mean(prediction) − mean(label): > 0 means the estimator is optimistic in this segment. */
  calibrationGap: number;
}

interface Sums { n: number; agree: number; sq: number; p: number; y: number }

export interface SegmentTracker {
  predicted(decisionId: string, segment: Segment, p: number): void;
  /** A stronger label arrived; returns false when no prediction was pending for the decision. */
  labelled(decisionId: string, y: number): boolean;
  view(): Record<string, SegmentConfidence>;
}

export const segmentKeys = (s: Segment): string[] => ['all', `tenant:${s.tenant}`, `task:${s.taskType}`, `route:${s.route}`];

export const createSegmentTracker = (options: { maxPending?: number } = {}): SegmentTracker => {
  const maxPending = options.maxPending ?? 50_000;
  // The oldest pending prediction is dropped first, in O(1) (a Map evicted from its front is not: src/learning/pending-decisions.ts).
  const pending = new LRUCache<string, { keys: string[]; p: number }>({ max: maxPending });
  const sums = new Map<string, Sums>();
  return {
    predicted(decisionId, segment, p) {
      pending.set(decisionId, { keys: segmentKeys(segment), p });
    },
    labelled(decisionId, y) {
      const entry = pending.peek(decisionId);
      if (!entry) return false;
      pending.delete(decisionId);
      for (const k of entry.keys) {
        const s = sums.get(k) ?? { n: 0, agree: 0, sq: 0, p: 0, y: 0 };
        s.n += 1;
        s.agree += (entry.p >= 0.5) === (y >= 0.5) ? 1 : 0;
        s.sq += (entry.p - y) ** 2;
        s.p += entry.p;
        s.y += y;
        sums.set(k, s);
      }
      return true;
    },
    view() {
      const out: Record<string, SegmentConfidence> = {};
      for (const [k, s] of sums) out[k] = { n: s.n, agreement: s.agree / s.n, brier: s.sq / s.n, calibrationGap: (s.p - s.y) / s.n };
      return out;
    },
  };
};
