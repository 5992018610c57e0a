import { Worker } from 'node:worker_threads';
import type { LearningStore } from '../spec/learning.js';
import type { LedgerStore } from '../spec/ledger.js';
import { GatewayError } from '../errors/index.js';
import type { LedgerWorkerData, LedgerWorkerOp, LedgerWorkerReply } from './ledger-worker.js';
import { createThreadScheduler } from './thread-scheduler.js';
import { createBusyMeter, createPriorityGovernor, createWriterPriority, type PriorityChange, type PriorityGovernorOptions } from './writer-priority.js';

/** The ledger store, plus the learning tables that live in the same database. */
export interface LedgerWithLearning extends LedgerStore {
  learning: LearningStore;
  /** Nice value of the SQLite writer thread, last reported (undefined: no such thread, e.g. Postgres). */
  readonly writerThreadNice?: number;
  /** Whether the SQLite writer thread runs under SCHED_IDLE now (undefined: no such thread). */
  readonly writerThreadIdle?: boolean;
}

export interface WorkerLedgerOptions {
  /** Nice value of the SQLite thread while it keeps up with the rows (0–19; 0: the same as requests). Default 19. */
  writerNice?: number;
  /** SCHED_IDLE for the thread while it keeps up (Linux, with `chrt` and the right to undo it). Default true. */
  writerIdle?: boolean;
  /** When the thread counts as behind (back to normal priority) and as caught up again. */
  priority?: PriorityGovernorOptions & { windowMs?: number };
}

/** The worker store, plus the SQLite thread's current nice value, asked of the thread (writer-priority.ts). */
export interface WorkerLedgerStore extends LedgerWithLearning {
  writerNice(): Promise<number>;
}

const LEARNING_METHODS = [
  'insertDecisions', 'insertFeedback', 'getDecision', 'hasFeedback', 'listDecisions', 'listFeedback',
  'savePolicyVersion', 'getPolicyVersion', 'listPolicyVersions', 'activatePolicyVersion',
] as const satisfies ReadonlyArray<keyof LearningStore>;

/**
 * Rows per message to the thread. Posting clones the rows on the main thread (~3 µs a row), so a
 * 500-row batch in one message stalls every request in flight for over a millisecond (the p99 at
 * one connection); chunks posted one after another, each after the previous one's reply, leave
 * room for requests in between. Inserts are idempotent, so a batch failing part-way is safely
 * retried whole by the batch writer.
 */
const CHUNK_ROWS = 64;

/**
 * The SQLite ledger behind a worker thread: same LedgerStore contract, but inserts and spend
 * queries run off the event loop, so a flush never stalls requests in flight.
 */
export const createWorkerLedgerStore = async (path: string, options: WorkerLedgerOptions = {}): Promise<WorkerLedgerStore> => {
  const workerData: LedgerWorkerData = { path, lowNice: options.writerNice ?? 19 };
  const worker = new Worker(new URL('./ledger-worker.js', import.meta.url), { workerData });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let dead: Error | undefined;
  const failAll = (err: Error): void => {
    dead = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (reply: LedgerWorkerReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.ok) p.resolve(reply.result);
    else p.reject(reply.error.code ? new GatewayError(reply.error.code, reply.error.message, { param: reply.error.param }) : new Error(reply.error.message));
  });
  worker.on('error', (err) => failAll(err));
  worker.on('exit', (code) => failAll(new Error(`ledger worker exited (code ${code})`)));
  const call = <T>(op: LedgerWorkerOp, ...args: unknown[]): Promise<T> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.ref();
      worker.postMessage({ id, op, args });
    });
  };
  // The thread keeps the process alive only while a call is in flight (ref on call, unref when
  // idle): an idle ledger must not hold a finished process open.
  // Open (and migrate) before the gateway starts taking traffic: a bad path fails start-up.
  try {
    await call<number>('count');
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  let threadNice: number | undefined;
  /** Asks the thread to change its priority (null: only to report it); remembers the nice it reports. */
  const setPriority = (change: PriorityChange): Promise<number> => call<number>('priority', change).then((nice) => (threadNice = nice));
  await setPriority(null).catch(() => undefined);
  const scheduler = options.writerIdle === false ? null : await createThreadScheduler(await call<number | null>('thread').catch(() => null));
  const windowMs = options.priority?.windowMs ?? 1_000;
  const priority = createWriterPriority({
    governor: createPriorityGovernor(options.priority), busy: createBusyMeter(windowMs), windowMs, scheduler,
    setNice: (change) => void setPriority(change).catch(() => undefined),
  });
  worker.on('exit', () => priority.close());
  // A starved thread closes no window (writer-priority.ts starvedChange). With windowMs 0 every call
  // closes a window of its own: no watchdog needed.
  const watchdog = windowMs > 0 ? setInterval(() => priority.tick(), Math.max(50, windowMs / 4)) : undefined;
  watchdog?.unref();
  /** A call the priority governor sees: every call but the priority ones. */
  const timed = <T>(op: LedgerWorkerOp, ...args: unknown[]): Promise<T> => {
    priority.begin();
    return call<T>(op, ...args).finally(() => priority.end());
  };
  const chunked = (op: LedgerWorkerOp) => async (rows: readonly unknown[]): Promise<void> => {
    for (let i = 0; i < rows.length; i += CHUNK_ROWS) await timed<void>(op, rows.slice(i, i + CHUNK_ROWS));
  };
  const learning = Object.fromEntries(LEARNING_METHODS.map((m) => [m, (...args: unknown[]) => timed(`learning.${m}`, ...args)])) as unknown as LearningStore;
  learning.insertDecisions = chunked('learning.insertDecisions');
  learning.insertFeedback = chunked('learning.insertFeedback');
  return {
    insert: chunked('insert'),
    spend: (query) => timed('spend', query),
    count: () => timed<number>('count'),
    writerNice: () => setPriority(null),
    get writerThreadNice() {
      return threadNice;
    },
    get writerThreadIdle() {
      return scheduler?.idle ?? false;
    },
    close: async () => {
      clearInterval(watchdog);
      priority.close();
      await call<void>('close');
      await worker.terminate();
    },
    learning,
  };
};
