import type { EventSink, GatewayEvent } from '../spec/events.js';

/**
 * Fans one event out to every sink. A sink that throws must not break the request path or the
 * other sinks, so failures are reported (once per sink) and swallowed.
 */
export const emitToAll = (sinks: readonly EventSink[], onSinkError: (err: unknown) => void): EventSink => {
  const failed = new Set<number>();
  return (event: GatewayEvent) => {
    for (let i = 0; i < sinks.length; i++) {
      try {
        sinks[i]?.(event);
      } catch (err) {
        if (!failed.has(i)) {
          failed.add(i);
          onSinkError(err);
        }
      }
    }
  };
};
