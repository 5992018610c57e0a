import type { ThreadScheduler } from './thread-scheduler.js';

/**
 * When the SQLite thread should run below the request path and when it must not.
 *
 * On a busy machine the thread's inserts compete with the gateway's main thread for a CPU: at one
 * connection the ledger is about half of the gateway's p99 (node dist/bench/overhead/ledger-share.js).
 * At a high nice value the scheduler hands the CPU to a woken request at once. But a thread that
 * low gets almost nothing on a saturated machine, and a ledger that falls behind holds rows in
 * memory (lost on `kill -9`, dropped beyond `maxPending`). The sign of that is the share of time
 * the ledger has an insert in flight: a few per cent while the thread keeps up, close to all of it
 * when rows arrive faster than it stores them (the writers hand it the next batch the moment the
 * last one is stored). So the thread goes back to normal priority when that share is high over a
 * window, and low again after a few windows in which it was low.
 */
export interface PriorityGovernorOptions {
  /** Share of a window with an insert in flight above which the thread is behind. Default 0.8. */
  behindShare?: number;
  /** Share below which a window counts as caught up. Default 0.3. */
  caughtUpShare?: number;
  /** Caught-up windows in a row before the thread goes low again. Default 5. */
  caughtUpWindows?: number;
}

export type PriorityChange = 'normal' | 'low' | null;

/** Fed each window's busy share; says when to change the thread's priority (null: leave it). Starts low. */
export const createPriorityGovernor = (options: PriorityGovernorOptions = {}) => {
  const behindShare = options.behindShare ?? 0.8;
  const caughtUpShare = options.caughtUpShare ?? 0.3;
  const caughtUpWindows = options.caughtUpWindows ?? 5;
  let low = true;
  let calm = 0;
  return {
    observe(busyShare: number): PriorityChange {
      if (low) {
        if (busyShare <= behindShare) return null;
        low = false;
        calm = 0;
        return 'normal';
      }
      calm = busyShare < caughtUpShare ? calm + 1 : 0;
      if (calm < caughtUpWindows) return null;
      low = true;
      return 'low';
    },
    /** Behind whatever the windows said (a starved thread: see starvedChange). */
    behind(): PriorityChange {
      calm = 0;
      if (!low) return null;
      low = false;
      return 'normal';
    },
    get low(): boolean {
      return low;
    },
  };
};

/**
 * A window only closes when a call returns, and a starved thread returns nothing (SCHED_IDLE on a
 * saturated machine gets almost no CPU): a call in flight for a whole window means the thread is
 * behind. Checked from a timer on the main thread.
 */
export const starvedChange = (
  busy: { inFlightMs(): number | null }, governor: { behind(): PriorityChange }, windowMs: number,
): PriorityChange => {
  const ms = busy.inFlightMs();
  return ms !== null && ms >= windowMs ? governor.behind() : null;
};

/**
 * Time with at least one call in flight, per window: `begin`/`end` around each call; `end`
 * returns the window's busy share when a window of `windowMs` has passed (else null).
 */
export const createBusyMeter = (windowMs: number, now: () => number = () => performance.now()) => {
  let inFlight = 0;
  let busySince = 0;
  let busyMs = 0;
  let windowStart = now();
  return {
    begin(): void {
      if (inFlight++ === 0) busySince = now();
    },
    /** How long calls have been in flight without a break (null when none is). */
    inFlightMs(): number | null {
      return inFlight > 0 ? now() - busySince : null;
    },
    end(): number | null {
      const t = now();
      if (--inFlight === 0) busyMs += t - busySince;
      if (t - windowStart < windowMs) return null;
      const share = (busyMs + (inFlight > 0 ? t - busySince : 0)) / (t - windowStart);
      windowStart = t;
      busyMs = 0;
      busySince = t;
      return share;
    },
  };
};

/**
 * Sets the calling thread's nice value (Linux: `setpriority` with who = 0 is the calling thread,
 * not the process). False when not allowed: lowering a nice value needs root or CAP_SYS_NICE.
 */
export const setThreadNice = (setPriority: (pid: number, nice: number) => void, nice: number): boolean => {
  try {
    setPriority(0, nice);
    return true;
  } catch {
    return false;
  }
};

export interface WriterPriorityDeps {
  governor: ReturnType<typeof createPriorityGovernor>;
  busy: ReturnType<typeof createBusyMeter>;
  windowMs: number;
  /** Nice through the thread itself (not awaited). */
  setNice(change: 'low' | 'normal'): void;
  /** SCHED_IDLE, set from the main thread (thread-scheduler.ts); null where it is not available. */
  scheduler: ThreadScheduler | null;
}

/**
 * The writer thread's priority, driven by the calls to it: `begin`/`end` around every call (inserts
 * and reads alike: a read on a starved thread waits too), `tick` from a timer (a call in flight
 * for a whole window counts as behind; a SCHED_IDLE change a failed `chrt` left undone is retried),
 * `close` when the thread is gone.
 */
export const createWriterPriority = (d: WriterPriorityDeps) => {
  let closed = false;
  const apply = (change: PriorityChange): void => {
    if (closed || change === null) return;
    d.setNice(change);
    d.scheduler?.want(change === 'low');
  };
  return {
    begin(): void {
      d.busy.begin();
    },
    end(): void {
      const share = d.busy.end();
      if (share !== null) apply(d.governor.observe(share));
    },
    tick(): void {
      if (closed) return;
      apply(starvedChange(d.busy, d.governor, d.windowMs));
      d.scheduler?.retry();
    },
    close(): void {
      closed = true;
      d.scheduler?.close();
    },
  };
};
