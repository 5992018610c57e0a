/**
 * Preloaded (`node --import`) into a server under bench/overhead/profile.ts: appends every V8
 * garbage collection as `startEpochMs durationMs kind` to $GC_EVENTS_FILE when the process exits,
 * so slow requests can be matched against collections. With $GC_OBSERVER_EXIT_ON_TERM=1 it also
 * makes SIGTERM a clean exit (for servers without their own handler, so --cpu-prof is written).
 */
import { appendFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

const file = process.env['GC_EVENTS_FILE'];
if (file) {
  const lines: string[] = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
      lines.push(`${(performance.timeOrigin + e.startTime).toFixed(3)} ${e.duration.toFixed(3)} ${kind}`);
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('exit', () => appendFileSync(file, lines.join('\n') + '\n'));
}
if (process.env['GC_OBSERVER_EXIT_ON_TERM'] === '1') process.on('SIGTERM', () => process.exit(0));
