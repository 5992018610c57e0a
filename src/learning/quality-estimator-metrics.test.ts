import { test } from 'node:test';
import assert from 'node:assert/strict';
import { areaUnderRoc, calibrationReport, expectedCalibrationError } from './quality-estimator-metrics.js';

test('AUC: perfect ranking 1, reversed 0, constant 0.5', () => {
  assert.equal(areaUnderRoc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]), 1);
  assert.equal(areaUnderRoc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]), 0);
  assert.equal(areaUnderRoc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]), 0.5);
});

test('ECE: calibrated predictions score ~0, over-confident ones do not', () => {
  const ys = Array.from({ length: 1000 }, (_, i) => (i % 10 < 3 ? 1 : 0));
  assert.ok(expectedCalibrationError(ys.map(() => 0.3), ys) < 1e-9);
  assert.ok(Math.abs(expectedCalibrationError(ys.map(() => 0.9), ys) - 0.6) < 1e-9);
  const r = calibrationReport([0.9, 0.1], [1, 0]);
  assert.equal(r.accuracy, 1);
  assert.ok(Math.abs(r.brier - 0.01) < 1e-12);
});
