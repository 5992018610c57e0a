type Listener = () => void;

/**
 * A request's (or an attempt's) abort state: set once, with a reason, and announced once to its
 * listeners. It stands in for AbortController on the request path because on Node 20 each
 * AbortSignal and each listener on it cost microseconds (two controllers and their listeners were
 * ~25 µs a request), and it is not an EventEmitter either: a request makes two of these, and an
 * emitter's set-up and listener bookkeeping cost more than the one list needed here. undici takes
 * it as a `signal`: it checks for `on` and listens through `once`/`removeListener`.
 */
export class AbortScope {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Listener[] | null = null;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = null;
    if (listeners) for (const l of listeners) l();
  }

  /** Listeners are called once, at the abort, and dropped then: `on` and `once` are the same. */
  once(_event: 'abort', listener: Listener): this {
    if (!this.aborted) (this.listeners ??= []).push(listener);
    return this;
  }

  on(event: 'abort', listener: Listener): this {
    return this.once(event, listener);
  }

  removeListener(_event: 'abort', listener: Listener): this {
    const i = this.listeners?.indexOf(listener) ?? -1;
    if (i >= 0) this.listeners?.splice(i, 1);
    return this;
  }

  listenerCount(_event: 'abort'): number {
    return this.listeners?.length ?? 0;
  }
}

