import { execFile } from 'node:child_process';
import { readlinkSync } from 'node:fs';

/**
 * SCHED_IDLE for the SQLite writer thread while it keeps up (writer-priority.ts says when).
 *
 * Even at nice 19 the Linux scheduler lets the writer finish its slice before a woken request runs
 * (at one connection that is the gap between the gateway's p99 and a gateway that stores nothing:
 * node dist/bench/overhead/ab.js, README). A SCHED_IDLE thread runs only on a CPU nothing else
 * wants and is preempted the moment a request wakes. Node has no binding for sched_setscheduler,
 * so util-linux's `chrt` sets it, by thread id, from the main thread: the writer need not run to be
 * raised back to SCHED_OTHER when it falls behind (a starved thread could not answer a message).
 */
export interface ThreadScheduler {
  /**
   * Asks for SCHED_IDLE (true) or SCHED_OTHER (false). One `chrt` runs at a time and the last wish
   * wins, so two changes never land out of order; a wish a failed `chrt` left unmet waits for retry().
   */
  want(idle: boolean): void;
  /** Applies the last wish again if a failed `chrt` left the thread otherwise (the watchdog calls it). */
  retry(): void;
  /** Stops changing the thread (closed store, exited thread: its id may be reused). */
  close(): void;
  /** Whether the thread is under SCHED_IDLE, as last set. */
  readonly idle: boolean;
}

type Run = (file: string, args: readonly string[]) => Promise<void>;

const runChrt: Run = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 5_000 }, (err) => (err ? reject(err) : resolve()));
  });

/** The calling thread's id on Linux (`/proc/thread-self` → `PID/task/TID`); null elsewhere. */
export const currentThreadId = (): number | null => {
  if (process.platform !== 'linux') return null;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
};

/**
 * A scheduler for thread `tid`, or null when it cannot be used both ways. The probe runs a throwaway
 * `chrt` under SCHED_IDLE that puts itself back under SCHED_OTHER (which needs root, CAP_SYS_NICE or
 * a permissive RLIMIT_NICE): only if that succeeds is the writer thread set, so it is never left
 * under SCHED_IDLE with no way back. Without `chrt`, on other systems, or without the right: null,
 * and nice alone applies.
 */
export const createThreadScheduler = async (tid: number | null, run: Run = runChrt): Promise<ThreadScheduler | null> => {
  if (tid === null) return null;
  let idle = false;
  let wanted = true;
  let running = false;
  let closed = false;
  const apply = async (to: boolean): Promise<boolean> => {
    try {
      await run('chrt', [to ? '--idle' : '--other', '--pid', '0', String(tid)]);
      idle = to;
      return true;
    } catch {
      return false;
    }
  };
  try {
    await run('chrt', ['--idle', '0', 'chrt', '--other', '0', 'true']);
  } catch {
    return null;
  }
  if (!(await apply(true))) return null;
  const pump = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      while (!closed && wanted !== idle) if (!(await apply(wanted))) break;
    } finally {
      running = false;
    }
  };
  return {
    want(to) {
      wanted = to;
      void pump();
    },
    retry() {
      void pump();
    },
    close() {
      closed = true;
    },
    get idle() {
      return idle;
    },
  };
};
