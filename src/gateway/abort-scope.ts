import { EventEmitter } from 'node:events';
import type { CallSignal } from '../spec/provider.js';

/**
 * A request's (or an attempt's) abort state: set once, with a reason, and announced with one
 * 'abort' event. It stands in for AbortController on the request path because on Node 20 each
 * AbortSignal and each listener on it cost microseconds (two controllers and their listeners were
 * ~25 µs a request); an EventEmitter costs a fraction of one. undici accepts it as a `signal`.
 */
export class AbortScope extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

/** Calls `listener` once when `signal` aborts (either kind); returns the function that detaches it. */
export const onAbort = (signal: CallSignal, listener: () => void): (() => void) => {
  if (signal instanceof EventEmitter) {
    signal.once('abort', listener);
    return () => signal.removeListener('abort', listener);
  }
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
};
