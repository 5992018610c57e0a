import type { BreakerSnapshot, BreakerState } from '../spec/state.js';

export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
}

export interface Breakers {
  /** May this target be called now? An open breaker past its cooldown lets one probe through (half-open). */
  allow(targetId: string, now: number): boolean;
  onSuccess(targetId: string): void;
  onFailure(targetId: string, now: number): void;
  state(targetId: string): BreakerState;
  /** When an open breaker allows a probe again (0 when not open). */
  openUntil(targetId: string): number;
  /** Listener for state changes (metrics). */
  onChange?: (targetId: string, state: BreakerState) => void;
}

/** One circuit breaker per target: consecutive failures open it; a cooldown later one probe decides. */
export const createBreakers = (options: BreakerOptions, onChange?: (id: string, s: BreakerState) => void): Breakers => {
  const breakers = new Map<string, BreakerSnapshot & { probing: boolean }>();
  const set = (id: string, next: BreakerSnapshot & { probing: boolean }): void => {
    const prev = breakers.get(id)?.state ?? 'closed';
    breakers.set(id, next);
    if (prev !== next.state) onChange?.(id, next.state);
  };
  return {
    allow(id, now) {
      const b = breakers.get(id);
      if (!b || b.state === 'closed') return true;
      if (b.state === 'open' && now >= b.openUntil) {
        // Half-open: exactly one request probes the target; the others keep avoiding it until it answers.
        set(id, { ...b, state: 'half-open', probing: true });
        return true;
      }
      return false;
    },
    onSuccess(id) {
      const b = breakers.get(id);
      if (b && (b.state !== 'closed' || b.consecutiveFailures > 0)) set(id, { state: 'closed', openUntil: 0, consecutiveFailures: 0, probing: false });
    },
    onFailure(id, now) {
      const b = breakers.get(id) ?? { state: 'closed' as const, openUntil: 0, consecutiveFailures: 0, probing: false };
      const failures = b.consecutiveFailures + 1;
      // A failed probe re-opens at once; a closed breaker opens after `failureThreshold` failures in a row.
      const open = b.state === 'half-open' || failures >= options.failureThreshold;
      set(id, { state: open ? 'open' : 'closed', openUntil: open ? now + options.cooldownMs : 0, consecutiveFailures: failures, probing: false });
    },
    state: (id) => breakers.get(id)?.state ?? 'closed',
    openUntil: (id) => (breakers.get(id)?.state === 'open' ? (breakers.get(id)?.openUntil ?? 0) : 0),
  };
};
