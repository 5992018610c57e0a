export interface PendingRows<T> {
  /** Rows not yet persisted: in flight, waiting for retry, and buffered. */
  readonly size: number;
  /** Sequence number the next pushed row gets (= rows ever pushed). */
  readonly written: number;
  /** Sequence number of the oldest row still waiting (Infinity when none). */
  oldestSeq(): number;
  push(row: T): void;
  /** Rows in the buffer (not counting a failed batch waiting for retry). */
  readonly buffered: number;
  /** The next batch: the failed one first, else up to `max` buffered rows. Marks it in flight. */
  take(max: number): T[];
  /** The in-flight batch was stored. */
  done(): void;
  /** The in-flight batch failed: it goes back to the front, to be retried first. */
  failed(): void;
  /** Drops the oldest waiting rows (never the in-flight batch) beyond `limit`; returns them. */
  trim(limit: number): T[];
}

/**
 * The writer's queue. Rows carry an implicit sequence number (their order of arrival):
 * `buffer[i]` is row `headSeq + i`, and a failed batch waits in `retry` (rows `retrySeq…`) ahead
 * of the buffer. That lets flush() wait for exactly "everything written before the call" without
 * tagging each row, even while later rows keep arriving and old ones are dropped.
 */
export const createPendingRows = <T>(): PendingRows<T> => {
  let buffer: T[] = [];
  let headSeq = 0;
  let retry: T[] | null = null;
  let retrySeq = 0;
  let inFlight: { rows: T[]; first: number } | null = null;
  const size = (): number => (inFlight?.rows.length ?? 0) + (retry?.length ?? 0) + buffer.length;

  return {
    get size() {
      return size();
    },
    get written() {
      return headSeq + buffer.length;
    },
    get buffered() {
      return buffer.length;
    },
    oldestSeq: () => (retry ? retrySeq : buffer.length > 0 ? headSeq : Number.POSITIVE_INFINITY),
    push(row) {
      buffer.push(row);
    },
    take(max) {
      if (retry) {
        inFlight = { rows: retry, first: retrySeq };
        retry = null;
        return inFlight.rows;
      }
      // Common case: hand the whole buffer over instead of copying it.
      const rows = buffer.length <= max ? buffer : buffer.splice(0, max);
      if (rows === buffer) buffer = [];
      inFlight = { rows, first: headSeq };
      headSeq += rows.length;
      return rows;
    },
    done() {
      inFlight = null;
    },
    failed() {
      if (!inFlight) return;
      retry = inFlight.rows;
      retrySeq = inFlight.first;
      inFlight = null;
    },
    trim(limit) {
      let excess = size() - limit;
      if (excess <= 0) return [];
      const lost: T[] = [];
      if (retry) {
        const n = Math.min(excess, retry.length);
        lost.push(...retry.splice(0, n));
        retrySeq += n;
        excess -= n;
        if (retry.length === 0) retry = null;
      }
      if (excess > 0) {
        lost.push(...buffer.splice(0, excess));
        headSeq += excess;
      }
      return lost;
    },
  };
};
