import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onAbort } from '../spec/provider.js';
import { AbortScope } from './abort-scope.js';
import { createAttemptController, sleep } from './abortable.js';

test('an abort scope aborts once, keeps the first reason and tells its listeners once', () => {
  const scope = new AbortScope();
  const heard: unknown[] = [];
  onAbort(scope, () => heard.push(scope.reason));
  scope.abort('first');
  scope.abort('second');
  assert.equal(scope.aborted, true);
  assert.equal(scope.reason, 'first');
  assert.deepEqual(heard, ['first']);
});

test('onAbort works on an AbortSignal too, and its detach function stops the call', () => {
  const controller = new AbortController();
  let calls = 0;
  const detach = onAbort(controller.signal, () => (calls += 1));
  detach();
  controller.abort();
  assert.equal(calls, 0);
  const scope = new AbortScope();
  onAbort(scope, () => (calls += 1))();
  scope.abort('x');
  assert.equal(calls, 0);
});

test('an attempt follows its parent scope (client gone, total deadline) until released', () => {
  const parent = new AbortScope();
  const attempt = createAttemptController(parent);
  parent.abort('client closed');
  assert.equal(attempt.signal.reason, 'client closed');
  const released = createAttemptController(new AbortScope());
  released.release();
  assert.equal(parent.listenerCount('abort'), 0);
  const late = createAttemptController(parent);
  assert.equal(late.signal.aborted, true);
});

test("an attempt's deadline aborts the attempt with its reason, not the parent", async () => {
  const parent = new AbortScope();
  const attempt = createAttemptController(parent);
  attempt.arm(5, () => 'attempt timeout');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(attempt.signal.reason, 'attempt timeout');
  assert.equal(parent.aborted, false);
  attempt.release();
  assert.equal(parent.listenerCount('abort'), 0);
});

test('sleep rejects with the reason as soon as the scope aborts', async () => {
  const scope = new AbortScope();
  const slept = sleep(10_000, scope);
  scope.abort('deadline');
  await assert.rejects(slept, (e) => e === 'deadline');
  assert.equal(scope.listenerCount('abort'), 0);
});
