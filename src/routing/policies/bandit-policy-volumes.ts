/**
 * Per-segment traffic shares between two snapshots (every `window` decisions). A segment whose share
 * grew — a task that was rare becomes common — is where the policy knows least about today's
 * traffic, so its exploration is multiplied by the growth (capped at `maxBoost`). A drift event
 * boosts a segment (`tier/task`, with tier `*` for every tier; all when it names none) to the
 * maximum until the next snapshot.
 */
export const createSegmentVolumes = (window: number, maxBoost: number) => {
  let current = new Map<string, number>();
  let previousShare = new Map<string, number>();
  let boosts = new Map<string, number>();
  let drifted = new Set<string>();
  let allDrifted = false;
  let count = 0;

  const snapshot = (): void => {
    const total = Math.max(1, count);
    const share = new Map([...current].map(([s, n]) => [s, n / total]));
    const next = new Map<string, number>();
    for (const [s, now] of share) {
      // A segment absent from the previous window is new: half a decision's share avoids dividing by zero.
      const before = previousShare.get(s) ?? 0.5 / total;
      next.set(s, Math.min(maxBoost, Math.max(1, now / before)));
    }
    boosts = next;
    previousShare = share;
    current = new Map();
    count = 0;
    drifted = new Set();
    allDrifted = false;
  };

  return {
    add(segment: string): void {
      current.set(segment, (current.get(segment) ?? 0) + 1);
      if (++count >= window) snapshot();
    },
    boost(segment: string): number {
      if (allDrifted) return maxBoost;
      // A drift names a task for every tier as `*/task`.
      if (drifted.size > 0 && (drifted.has(segment) || drifted.has(`*${segment.slice(segment.indexOf('/'))}`))) return maxBoost;
      return boosts.get(segment) ?? 1;
    },
    drifted(segment: string | null): void {
      if (segment === null) allDrifted = true;
      else drifted.add(segment);
    },
  };
};
