import type { PolicyLearner } from '../spec/routing.js';
import type { DriftEvent } from './drift-monitor.js';

export interface DriftPolicyUpdateDeps {
  learners: ReadonlyMap<string, PolicyLearner>;
  /** The drift monitor's view: whether it is drifting, and how many requests it has seen. */
  status(): { drifting: boolean; observed: number };
  /** Starts a new reference window (after the full retrain was requested). */
  rebaseline(): void;
  /** Requests per drift window, and how many windows a drift must last before a full retrain. */
  windowSize: number;
  persistWindows: number;
  /** A drift persisted: record it (a `retrain-requested` policy version per route) and retrain. */
  onRetrain(event: DriftEvent, routes: readonly string[]): void;
}

/**
 * Drift → policy update. At once (the cheap part): every learning policy forgets part of its
 * evidence and explores more (PolicyLearner.onDrift). If the monitor still reports drift
 * `persistWindows` windows later, a full retrain is requested once and the monitor re-baselines on
 * the new traffic, so the alarm is not raised forever for a shift that has been acted on.
 */
export const createDriftPolicyUpdate = (deps: DriftPolicyUpdateDeps) => {
  let since: { event: DriftEvent; observed: number } | null = null;
  return {
    onDrift(event: DriftEvent): void {
      for (const learner of deps.learners.values()) learner.onDrift(null);
      since ??= { event, observed: deps.status().observed };
    },
    /** Called regularly (every few dozen requests). */
    tick(): void {
      if (!since) return;
      const s = deps.status();
      if (!s.drifting) {
        since = null;
        return;
      }
      if (s.observed - since.observed < deps.windowSize * deps.persistWindows) return;
      deps.onRetrain(since.event, [...deps.learners.keys()]);
      since = null;
      deps.rebaseline();
    },
  };
};
