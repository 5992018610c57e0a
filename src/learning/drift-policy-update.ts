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
  /** A drift persisted: record it and retrain each route's policy on the evidence logged since `since` (ms). */
  onRetrain(event: DriftEvent, routes: readonly string[], since: number): void;
  now(): number;
}

/**
 * Drift → policy update. At once (the cheap part): every learning policy explores more in the
 * segments whose share grew — and, when outcomes drifted, forgets part of its evidence
 * (PolicyLearner.onDrift). If the monitor still reports drift
 * `persistWindows` windows later, a full retrain is requested once and the monitor re-baselines on
 * the new traffic, so the alarm is not raised forever for a shift that has been acted on.
 */
export const createDriftPolicyUpdate = (deps: DriftPolicyUpdateDeps) => {
  let since: { event: DriftEvent; observed: number; ts: number } | null = null;
  return {
    onDrift(event: DriftEvent): void {
      // A new task mix: explore where traffic grew (every tier); otherwise everywhere.
      const segments = event.kind === 'features' && event.grownTasks?.length ? event.grownTasks.map((t) => `*/${t}`) : [null];
      for (const learner of deps.learners.values()) for (const s of segments) learner.onDrift(s, event.kind);
      since ??= { event, observed: deps.status().observed, ts: deps.now() };
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
      deps.onRetrain(since.event, [...deps.learners.keys()], since.ts);
      since = null;
      deps.rebaseline();
    },
  };
};
