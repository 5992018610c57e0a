import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBreakers } from './circuit-breaker.js';

test('opens after consecutive failures, half-opens one probe after the cooldown', () => {
  const changes: string[] = [];
  const b = createBreakers({ failureThreshold: 3, cooldownMs: 1000 }, (id, s) => changes.push(`${id}:${s}`));
  b.onFailure('a', 0);
  b.onFailure('a', 0);
  assert.equal(b.state('a'), 'closed');
  b.onFailure('a', 10);
  assert.equal(b.state('a'), 'open');
  assert.equal(b.allow('a', 500), false);
  assert.equal(b.allow('a', 1010), true, 'the probe goes through');
  assert.equal(b.state('a'), 'half-open');
  assert.equal(b.allow('a', 1011), false, 'only one probe at a time');
  b.onFailure('a', 1020);
  assert.equal(b.state('a'), 'open', 'a failed probe re-opens at once');
  assert.equal(b.allow('a', 2020), true);
  b.onSuccess('a');
  assert.equal(b.state('a'), 'closed');
  assert.deepEqual(changes, ['a:open', 'a:half-open', 'a:open', 'a:half-open', 'a:closed']);
});

test('a success resets the failure count', () => {
  const b = createBreakers({ failureThreshold: 2, cooldownMs: 1000 });
  b.onFailure('a', 0);
  b.onSuccess('a');
  b.onFailure('a', 0);
  assert.equal(b.state('a'), 'closed');
});
