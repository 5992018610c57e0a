import type { EventSink } from '../spec/events.js';
import type { DriftEvent, DriftMonitor } from './drift-monitor.js';

export interface DriftSinkDeps {
  monitor: DriftMonitor;
  onDrift(event: DriftEvent): void;
  /** Publishes the current divergences (called at most every `publishEvery` requests). */
  publish(divergence: Readonly<Record<string, number>>): void;
  publishEvery?: number;
}

/** Feeds every finished request to the drift monitor, off the response path (an event sink). */
export const createDriftSink = (deps: DriftSinkDeps): EventSink => {
  const every = deps.publishEvery ?? 100;
  let n = 0;
  return (e) => {
    if (e.type !== 'request-end') return;
    const event = deps.monitor.observe(e.features, { latencyMs: e.latencyMs, error: e.status >= 500 });
    if (event) deps.onDrift(event);
    if (++n % every === 0 || event) deps.publish(deps.monitor.status().divergence);
  };
};
