/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

export interface AttemptController {
  signal: AbortSignal;
  /** (Re)arm the attempt's deadline; the reason is used as the error if it fires. */
  arm(ms: number, reason: () => unknown): void;
  /** Stop the timer and detach from the parent signal. */
  release(): void;
  abort(reason: unknown): void;
}

/** An abort controller tied to a parent signal (client disconnect, total deadline) with one re-armable timer. */
export const createAttemptController = (parent: AbortSignal): AttemptController => {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onParent = (): void => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    arm(ms, reason) {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => controller.abort(reason()), ms);
    },
    release() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      parent.removeEventListener('abort', onParent);
    },
    abort: (reason) => controller.abort(reason),
  };
};
