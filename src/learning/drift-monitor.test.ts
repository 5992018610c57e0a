import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Features, TaskType } from '../spec/routing.js';
import { createDriftSink } from './create-drift-sink.js';
import { createDriftMonitor } from './drift-monitor.js';

const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const features = (taskType: TaskType, r: () => number): Features => ({
  inputTokens: Math.floor(50 + r() * 400), messageCount: 1, depth: 1, requestedMaxTokens: null, taskType,
  hasReasoningKeywords: r() < 0.1, hasCode: taskType === 'code', hasMath: r() < 0.05, hasImages: false, hasTools: false,
  jsonMode: false, language: 'en', hashedNgrams: new Uint32Array(), hashedValues: new Float32Array(),
});

const mix = (r: () => number, main: TaskType, share: number): TaskType => (r() < share ? main : (['qa', 'code', 'math', 'chat'] as const)[Math.floor(r() * 4)]!);

test('a shift in the task mix is flagged within 500 requests', () => {
  const r = prng(1);
  const m = createDriftMonitor();
  for (let i = 0; i < 3_000; i++) assert.equal(m.observe(features(mix(r, 'qa', 0.9), r)), null, `no alarm before the shift (at ${i})`);
  let flaggedAfter = -1;
  for (let i = 0; i < 1_000 && flaggedAfter < 0; i++) {
    const e = m.observe(features(mix(r, 'code', 0.9), r));
    if (e) {
      flaggedAfter = i;
      assert.equal(e.kind, 'features');
      // The event names where traffic grew (code: 2.5% → 92.5%), not the task that shrank.
      assert.deepEqual(e.grownTasks, ['code']);
    }
  }
  assert.ok(flaggedAfter >= 0 && flaggedAfter < 500, `flagged after ${flaggedAfter}`);
  assert.equal(m.status().drifting, true);
});

test('stationary noise stays quiet over 10,000 requests', () => {
  for (const seed of [2, 3, 4]) {
    const r = prng(seed);
    const m = createDriftMonitor();
    let alarms = 0;
    for (let i = 0; i < 10_000; i++) if (m.observe(features(mix(r, 'qa', 0.6), r), { latencyMs: 300 + r() * 200, error: r() < 0.02, reward: r() < 0.8 ? 1 : 0 })) alarms += 1;
    assert.equal(alarms, 0, `seed ${seed}`);
  }
});

test('a jump in error rate or latency is flagged as an outcome drift', () => {
  const r = prng(5);
  const m = createDriftMonitor();
  for (let i = 0; i < 2_500; i++) m.observe(features('qa', r), { latencyMs: 300 + r() * 100, error: r() < 0.02 });
  let event = null;
  for (let i = 0; i < 500 && !event; i++) event = m.observe(features('qa', r), { latencyMs: 300 + r() * 100, error: r() < 0.3 });
  assert.equal(event?.group, 'error_rate');
  m.rebaseline();
  for (let i = 0; i < 2_500; i++) m.observe(features('qa', r), { latencyMs: 300 + r() * 100 });
  event = null;
  for (let i = 0; i < 500 && !event; i++) event = m.observe(features('qa', r), { latencyMs: 900 + r() * 100 });
  assert.equal(event?.group, 'latency');
});

test('a large relative but tiny absolute latency change (an in-process path going from 2 ms to 1 ms) is not drift', () => {
  const r = prng(6);
  const m = createDriftMonitor();
  for (let i = 0; i < 2_000; i++) m.observe(features('qa', r), { latencyMs: 2 + r() });
  let alarms = 0;
  for (let i = 0; i < 1_000; i++) if (m.observe(features('qa', r), { latencyMs: 0.5 + r() })) alarms += 1;
  assert.equal(alarms, 0);
});

test('the drift sink feeds request-end events to the monitor and reports alarms', () => {
  const r = prng(9);
  const alarms: string[] = [];
  const published: number[] = [];
  const sink = createDriftSink({ monitor: createDriftMonitor({ referenceSize: 300, windowSize: 200 }), onDrift: (e) => alarms.push(e.group), publish: (d) => published.push(d['task'] ?? -1), publishEvery: 50 });
  const end = (taskType: TaskType) => ({ type: 'request-end', features: features(taskType, r), latencyMs: 100, status: 200 }) as unknown as Parameters<typeof sink>[0];
  sink({ type: 'attempt-start', requestId: 'x', attempt: 1, target: 't', provider: 'p' });
  for (let i = 0; i < 600; i++) sink(end('qa'));
  for (let i = 0; i < 300; i++) sink(end('code'));
  assert.deepEqual(alarms, ['task']);
  assert.ok(published.length >= 18);
});
