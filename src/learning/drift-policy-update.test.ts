import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDriftPolicyUpdate } from './drift-policy-update.js';
import { recordingLearner } from './learning-test-kit.js';

test('a drift updates every learning policy at once; a persisting one requests a retrain once and re-baselines', () => {
  const learner = recordingLearner();
  const monitor = { drifting: false, observed: 0, rebaselined: 0 };
  const retrains: string[][] = [];
  const update = createDriftPolicyUpdate({
    learners: new Map([['auto', learner]]),
    status: () => monitor,
    rebaseline: () => { monitor.rebaselined += 1; monitor.drifting = false; },
    windowSize: 100, persistWindows: 3, now: () => 0,
    onRetrain: (_e, routes) => retrains.push([...routes]),
  });
  const event = { at: 2500, kind: 'features' as const, group: 'task', value: 0.4 };
  Object.assign(monitor, { drifting: true, observed: 2500 });
  update.onDrift(event);
  assert.deepEqual(learner.drifts, [null]);
  assert.deepEqual(learner.driftKinds, ['features']);
  monitor.observed = 2750;
  update.tick();
  assert.deepEqual(retrains, []);
  monitor.observed = 2800;
  update.tick();
  update.tick();
  assert.deepEqual(retrains, [['auto']]);
  assert.equal(monitor.rebaselined, 1);
});

test('a drift that ends before the persistence limit requests no retrain', () => {
  const monitor = { drifting: true, observed: 1000 };
  const retrains: unknown[] = [];
  const update = createDriftPolicyUpdate({
    learners: new Map([['auto', recordingLearner()]]), status: () => monitor, rebaseline: () => undefined,
    windowSize: 100, persistWindows: 2, now: () => 0, onRetrain: (e) => retrains.push(e),
  });
  update.onDrift({ at: 1000, kind: 'features', group: 'task', value: 0.3 });
  monitor.observed = 1100;
  monitor.drifting = false;
  update.tick();
  monitor.observed = 1500;
  monitor.drifting = true;
  update.tick();
  assert.deepEqual(retrains, []);
});

test('a new task mix explores only where traffic grew, for every tier; an outcome drift names no segment', () => {
  const learner = recordingLearner();
  const update = createDriftPolicyUpdate({
    learners: new Map([['auto', learner]]), status: () => ({ drifting: true, observed: 0 }), rebaseline: () => undefined,
    windowSize: 100, persistWindows: 3, now: () => 0, onRetrain: () => undefined,
  });
  update.onDrift({ at: 10, kind: 'features', group: 'task', value: 0.9, grownTasks: ['code', 'reasoning'] });
  update.onDrift({ at: 20, kind: 'outcomes', group: 'reward', value: 5 });
  assert.deepEqual(learner.drifts, ['*/code', '*/reasoning', null]);
  assert.deepEqual(learner.driftKinds, ['features', 'features', 'outcomes']);
});
