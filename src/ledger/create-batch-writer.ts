import { createPendingRows } from './pending-rows.js';

export interface WriterTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface BatchWriterOptions<T> {
  /** Rows per insert; reaching it triggers a flush right after the current task. Default 500. */
  maxBatch?: number;
  /** Longest time a row waits in memory before a flush. Default 250 ms. */
  flushIntervalMs?: number;
  /** Rows kept while the store fails; beyond it the oldest are dropped (and counted). Default 100,000. */
  maxPending?: number;
  /** Called on every failed insert (rows kept for retry) and every dropped row. Must not throw. */
  onError?: (err: unknown, rows: readonly T[]) => void;
  timers?: WriterTimers;
}

/** Accepts rows on the request path without I/O; flushes in batches. */
export interface BatchWriter<T> {
  write(row: T): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Rows buffered and not yet persisted. */
  readonly pending: number;
  /** Rows dropped so far: over maxPending while the store failed, invalid, or written after close. */
  readonly dropped: number;
  /** Rows persisted so far. */
  readonly persisted: number;
}

const defaultTimers: WriterTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // The interval flush must never keep a finished process alive; close() flushes explicitly.
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface BatchWriterSpec<T> {
  /** Names the writer in error messages (`ledger`, `decision log`…). */
  label: string;
  /** Stores a batch atomically and idempotently (a retried batch must not be counted twice). */
  insert(rows: readonly T[]): Promise<void>;
  /** Why a row cannot be stored (it would fail its whole batch forever), or null. */
  invalid?(row: T): string | null;
}

/**
 * The request path's only contact with a store: write() pushes to an array and returns.
 * Inserts run one at a time on a promise chain, so a batch is never inserted twice concurrently
 * and rows reach the store in arrival order; a failed batch is retried first (pending-rows.ts).
 */
export const createBatchWriter = <T>(spec: BatchWriterSpec<T>, options: BatchWriterOptions<T> = {}): BatchWriter<T> => {
  const maxBatch = Math.max(1, options.maxBatch ?? 500);
  const intervalMs = Math.max(1, options.flushIntervalMs ?? 250);
  const maxPending = Math.max(maxBatch, options.maxPending ?? 100_000);
  const timers = options.timers ?? defaultTimers;
  const queue = createPendingRows<T>();
  const report = (err: unknown, rows: readonly T[]): void => {
    try {
      options.onError?.(err, rows);
    } catch {
      // A failing error handler must not turn a lost ledger write into a crashed request.
    }
  };
  let dropped = 0;
  let persisted = 0;
  let closed = false;
  let timer: unknown;
  let kickQueued = false;
  // After a failed insert only the timer (or an explicit flush) retries: a store that is down must
  // not be hammered by one insert attempt per write.
  let failing = false;
  let chain: Promise<void> = Promise.resolve();

  const trim = (): void => {
    const lost = queue.trim(maxPending);
    if (lost.length === 0) return;
    dropped += lost.length;
    report(new Error(`${spec.label} writer over maxPending (${maxPending}): dropped ${lost.length} oldest rows`), lost);
  };

  /** Inserts batches until every row with a sequence number below `target` is persisted or dropped. */
  const drain = async (target: number): Promise<void> => {
    while (queue.oldestSeq() < target) {
      const rows = queue.take(maxBatch);
      try {
        await spec.insert(rows);
        queue.done();
        persisted += rows.length;
        failing = false;
      } catch (err) {
        // Kept for the next flush: stores insert idempotently (unique request id + attempt), so a
        // batch that did reach the database before the error is not double-counted on retry.
        queue.failed();
        failing = true;
        report(err, rows);
        throw err;
      } finally {
        trim();
      }
    }
  };

  const armTimer = (): void => {
    if (timer !== undefined || closed || queue.size === 0) return;
    timer = timers.setTimeout(() => {
      timer = undefined;
      void enqueue(() => queue.written).catch(() => undefined);
    }, intervalMs);
  };

  /** Serialises drains; the target is read when the drain starts, so a queued kick covers later rows. */
  const enqueue = (target: () => number): Promise<void> => {
    const run = chain.then(() => drain(target()));
    chain = run.then(armTimer, armTimer);
    return run;
  };

  const kick = (): void => {
    if (kickQueued) return;
    kickQueued = true;
    // Never insert on the caller's stack: write() stays O(1) and the request path never waits.
    queueMicrotask(() => {
      void enqueue(() => {
        kickQueued = false;
        return queue.written;
      }).catch(() => undefined);
    });
  };

  return {
    write(row) {
      const invalid = closed ? `${spec.label} writer is closed` : (spec.invalid?.(row) ?? null);
      if (invalid !== null) {
        dropped += 1;
        report(new Error(`${spec.label} row dropped: ${invalid}`), [row]);
        return;
      }
      queue.push(row);
      if (queue.size > maxPending) trim();
      if (queue.buffered >= maxBatch && !failing) kick();
      else armTimer();
    },
    flush() {
      const target = queue.written;
      return enqueue(() => target);
    },
    async close() {
      closed = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      const target = queue.written;
      await enqueue(() => target);
    },
    get pending() {
      return queue.size;
    },
    get dropped() {
      return dropped;
    },
    get persisted() {
      return persisted;
    },
  };
};
