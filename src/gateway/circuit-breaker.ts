import type { BreakerSnapshot, BreakerState } from '../spec/state.js';

export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
}

/** How breakers reach the other replicas (the state store); absent in a single process. */
export interface BreakerShare {
  /** Called when this replica opens or closes a breaker (not for half-open, which is per replica). */
  publish(targetId: string, snapshot: BreakerSnapshot): void;
}

export interface Breakers {
  /** May this target be called now? An open breaker past its cooldown lets one probe through (half-open). */
  allow(targetId: string, now: number): boolean;
  onSuccess(targetId: string): void;
  onFailure(targetId: string, now: number): void;
  state(targetId: string): BreakerState;
  /** When an open breaker allows a probe again (0 when not open). */
  openUntil(targetId: string): number;
  /** A breaker opened or closed by another replica. */
  applyRemote(targetId: string, snapshot: BreakerSnapshot): void;
  /** Listener for state changes (metrics). */
  onChange?: (targetId: string, state: BreakerState) => void;
}

type Entry = BreakerSnapshot & { probing: boolean };

const CLOSED: Entry = { state: 'closed', openUntil: 0, consecutiveFailures: 0, probing: false };

/**
 * One circuit breaker per target: consecutive failures open it; a cooldown later one probe decides.
 * With several replicas, opening and closing are shared (a target that fails for one replica is
 * avoided by all until the cooldown ends), while failure counts and the half-open probe stay local:
 * each replica sends at most one probe per cooldown, and reads never wait on the network.
 */
export const createBreakers = (options: BreakerOptions, onChange?: (id: string, s: BreakerState) => void, share?: BreakerShare): Breakers => {
  const breakers = new Map<string, Entry>();
  const set = (id: string, next: Entry, publish: boolean): void => {
    const prev = breakers.get(id)?.state ?? 'closed';
    breakers.set(id, next);
    if (prev === next.state) return;
    onChange?.(id, next.state);
    if (publish && next.state !== 'half-open') share?.publish(id, { state: next.state, openUntil: next.openUntil, consecutiveFailures: next.consecutiveFailures });
  };
  return {
    allow(id, now) {
      const b = breakers.get(id);
      if (!b || b.state === 'closed') return true;
      if (b.state === 'open' && now >= b.openUntil) {
        // Half-open: exactly one request probes the target; the others keep avoiding it until it answers.
        set(id, { ...b, state: 'half-open', probing: true }, false);
        return true;
      }
      return false;
    },
    onSuccess(id) {
      const b = breakers.get(id);
      if (b && (b.state !== 'closed' || b.consecutiveFailures > 0)) set(id, CLOSED, true);
    },
    onFailure(id, now) {
      const b = breakers.get(id) ?? CLOSED;
      const failures = b.consecutiveFailures + 1;
      // A failed probe re-opens at once; a closed breaker opens after `failureThreshold` failures in a row.
      const open = b.state === 'half-open' || failures >= options.failureThreshold;
      set(id, { state: open ? 'open' : 'closed', openUntil: open ? now + options.cooldownMs : 0, consecutiveFailures: failures, probing: false }, true);
    },
    applyRemote(id, snapshot) {
      const b = breakers.get(id) ?? CLOSED;
      if (snapshot.state === 'open') {
        // Keep whichever cooldown ends later: an older message must not shorten a newer local opening.
        if (b.state !== 'open' || snapshot.openUntil > b.openUntil) set(id, { ...snapshot, probing: false }, false);
      } else if (snapshot.state === 'closed' && b.state !== 'closed') {
        // Another replica's probe succeeded: the target is healthy again.
        set(id, CLOSED, false);
      }
    },
    state: (id) => breakers.get(id)?.state ?? 'closed',
    openUntil: (id) => (breakers.get(id)?.state === 'open' ? (breakers.get(id)?.openUntil ?? 0) : 0),
  };
};
