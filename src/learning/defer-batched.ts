import type { EventSink } from '../spec/events.js';

/**
 * Runs deferred work on the next turn of the event loop, with one setImmediate for everything
 * queued meanwhile. A throwing job does not drop the rest; it is rethrown in its own setImmediate,
 * as uncaught as it would have been there (callers that must not crash catch their own errors).
 */
export const deferBatched = (): ((fn: () => void) => void) => {
  let queue: Array<() => void> = [];
  const run = (): void => {
    const batch = queue;
    queue = [];
    for (const fn of batch) {
      try {
        fn();
      } catch (err) {
        setImmediate(() => { throw err; });
      }
    }
  };
  return (fn) => {
    if (queue.push(fn) === 1) setImmediate(run);
  };
};

/**
 * The request-end work of these sinks, after the answer has been written: the learning sinks
 * (decision record and log, pending-decision map, drift) run once the response is on its way
 * instead of before it, which takes them off the request's latency (`bench/overhead/ab.ts`). No
 * feedback can overtake them: it comes from a client that has read the answer, in a later turn of
 * the event loop. A sink that throws is reported, like emitToAll does, and the others still run.
 */
export const afterResponse = (
  sinks: readonly EventSink[],
  onError: (err: unknown) => void,
  defer: (fn: () => void) => void = deferBatched(),
): EventSink => (event) => {
  if (event.type !== 'request-end') return;
  defer(() => {
    for (const sink of sinks) {
      try {
        sink(event);
      } catch (err) {
        onError(err);
      }
    }
  });
};
