import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSegmentTracker } from './quality-estimator-segments.js';

test('segment confidence: agreement and calibration gap per tenant, task and route', () => {
  const t = createSegmentTracker();
  for (let i = 0; i < 10; i++) {
    t.predicted(`a${i}`, { tenant: 'acme', taskType: 'code', route: 'auto' }, 0.9);
    t.predicted(`b${i}`, { tenant: 'beta', taskType: 'qa', route: 'auto' }, 0.8);
  }
  for (let i = 0; i < 10; i++) {
    assert.equal(t.labelled(`a${i}`, 1), true);
    assert.equal(t.labelled(`b${i}`, i < 3 ? 1 : 0), true);
  }
  assert.equal(t.labelled('a0', 1), false, 'a label is used once');
  assert.equal(t.labelled('unknown', 1), false);
  const v = t.view();
  assert.equal(v['tenant:acme']?.agreement, 1);
  assert.ok(Math.abs((v['tenant:beta']?.agreement ?? 0) - 0.3) < 1e-9);
  assert.ok(Math.abs((v['task:qa']?.calibrationGap ?? 0) - 0.5) < 1e-9, 'optimistic on qa');
  assert.equal(v['route:auto']?.n, 20);
  assert.equal(v['all']?.n, 20);
});

test('pending predictions are bounded: the oldest are dropped', () => {
  const t = createSegmentTracker({ maxPending: 2 });
  const s = { tenant: 't', taskType: 'qa', route: 'r' };
  t.predicted('1', s, 0.5);
  t.predicted('2', s, 0.5);
  t.predicted('3', s, 0.5);
  assert.equal(t.labelled('1', 1), false);
  assert.equal(t.labelled('3', 1), true);
});
