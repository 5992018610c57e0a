import { onAbort, type CallSignal } from '../spec/provider.js';
import { AbortScope } from './abort-scope.js';

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export const sleep = (ms: number, signal: CallSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const detach = onAbort(signal, () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
    const timer = setTimeout(() => {
      detach();
      resolve();
    }, ms);
  });

export interface AttemptController {
  signal: AbortScope;
  /** (Re)arm the attempt's deadline; the reason is used as the error if it fires. */
  arm(ms: number, reason: () => unknown): void;
  /** Stop the timer and detach from the parent signal. */
  release(): void;
  abort(reason: unknown): void;
}

/** An attempt's abort scope tied to a parent signal (client disconnect, total deadline) with one re-armable timer. */
export const createAttemptController = (parent: CallSignal): AttemptController => {
  const scope = new AbortScope();
  let timer: NodeJS.Timeout | undefined;
  let detach: (() => void) | undefined;
  if (parent.aborted) scope.abort(parent.reason);
  else detach = onAbort(parent, () => scope.abort(parent.reason));
  return {
    signal: scope,
    arm(ms, reason) {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => scope.abort(reason()), ms);
    },
    release() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      detach?.();
      detach = undefined;
    },
    abort: (reason) => scope.abort(reason),
  };
};
