import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestFixed, recoveredAt, summariseReplay, type ReplayStep } from './replay-report.js';

/** cheap: right 60% of the time at 1; dear: always right at 10. */
const step = (i: number, learningModel: 'cheap' | 'dear'): ReplayStep => {
  const perModel = { cheap: { quality: i % 5 < 3 ? 1 : 0, costUsd: 1 }, dear: { quality: 1, costUsd: 10 } };
  const m = perModel[learningModel];
  return { task: i < 100 ? 'x' : 'y', learning: { model: learningModel, ...m }, static: { model: 'dear', ...perModel.dear }, perModel };
};

test('best fixed in hindsight: lowest cost per success among models meeting the floor', () => {
  const steps = Array.from({ length: 100 }, (_, i) => step(i, 'cheap'));
  assert.equal(bestFixed(steps, 0.5).model, 'cheap');
  assert.ok(Math.abs((bestFixed(steps, 0.5).costPerSuccess ?? 0) - 1 / 0.6) < 1e-9);
  assert.equal(bestFixed(steps, 0.7).model, 'dear', 'cheap misses the floor');
});

test('recovery: the first point after which the learning policy stays within 5% of the best fixed', () => {
  // After the shift at 100 the learning policy pays for `dear` until 300, then uses `cheap`.
  const steps = Array.from({ length: 800 }, (_, i) => step(i, i >= 100 && i < 300 ? 'dear' : 'cheap'));
  const { recoveredAt: at, lastMiss } = recoveredAt(steps, 100, 100, 50, 0.5);
  assert.equal(at, 400, 'the first trailing window free of the expensive stretch ends at 400');
  assert.equal(lastMiss?.at, 350, 'the last trailing window still holding some of it ends at 350');
  const summary = summariseReplay(steps, { window: 100, shiftAt: 100, floor: 0.5 });
  assert.equal(summary.windows.length, 8);
  assert.equal(summary.recoveryRequests, 300);
  assert.deepEqual(summary.windows[0]?.taskMix, { x: 1 });
  assert.ok((summary.windows[2]?.learningRatio ?? 0) > 3);
  assert.equal(recoveredAt(Array.from({ length: 400 }, (_, i) => step(i, 'dear')), 100, 100, 50, 0.5).recoveredAt, null, 'never recovers');
});
