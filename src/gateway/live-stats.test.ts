import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLiveStats } from './live-stats.js';

const ok = (latencyMs: number, ttftMs: number | null = null) => ({ ok: true, latencyMs, ttftMs, outputTokens: 10 });

test('p95 latency and TTFT are the 95th percentile of the recent window, numerically (not as strings)', () => {
  const stats = createLiveStats();
  // 1..100 ms in a scrambled order, with values whose string order differs from their numeric order.
  const values = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
  for (const v of values) stats.record('t', ok(v, v / 10));
  const view = stats.get('t');
  assert.equal(view?.requests, 100);
  assert.equal(view?.latencyP95Ms, 96);
  assert.equal(view?.ttftP95Ms, 9.6);
});

test('the window keeps the latest 128 samples; another target is unaffected', () => {
  const stats = createLiveStats();
  for (let i = 0; i < 128; i++) stats.record('t', ok(1000));
  for (let i = 0; i < 128; i++) stats.record('t', ok(5));
  stats.record('u', ok(42));
  assert.equal(stats.get('t')?.latencyP95Ms, 5);
  assert.equal(stats.get('u')?.latencyP95Ms, 42);
  assert.equal(stats.get('u')?.ttftP95Ms, null);
  assert.equal(stats.get('nobody'), undefined);
});

test('failures move the error rate, not the latency window', () => {
  const stats = createLiveStats();
  stats.record('t', ok(10));
  for (let i = 0; i < 20; i++) stats.record('t', { ok: false, latencyMs: 9_999, ttftMs: null, outputTokens: 0 });
  const view = stats.get('t');
  assert.equal(view?.latencyP95Ms, 10);
  assert.ok((view?.errorRate ?? 0) > 0.6, `error rate ${view?.errorRate}`);
});
