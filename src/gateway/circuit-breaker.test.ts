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

test('replicas share openings and closings; failure counts and probes stay per replica', () => {
  const replicas: Array<ReturnType<typeof createBreakers>> = [];
  // A fake bus: what one replica publishes, the others apply (as the Redis state store does).
  const bus = (from: number) => ({
    publish: (id: string, s: Parameters<ReturnType<typeof createBreakers>['applyRemote']>[1]) => {
      replicas.forEach((r, i) => { if (i !== from) r.applyRemote(id, s); });
    },
  });
  const a = createBreakers({ failureThreshold: 2, cooldownMs: 1000 }, undefined, bus(0));
  const b = createBreakers({ failureThreshold: 2, cooldownMs: 1000 }, undefined, bus(1));
  replicas.push(a, b);
  a.onFailure('t', 0);
  assert.equal(b.state('t'), 'closed', 'one failure on a replica says nothing to the others');
  a.onFailure('t', 5);
  assert.equal(b.state('t'), 'open', 'opened by a, honoured by b');
  assert.equal(b.allow('t', 500), false);
  assert.equal(b.openUntil('t'), 1005);
  assert.equal(b.allow('t', 1005), true, 'b probes after the cooldown');
  assert.equal(a.state('t'), 'open', 'half-open is local: a keeps avoiding the target');
  b.onSuccess('t');
  assert.equal(a.state('t'), 'closed', "b's successful probe closes a's breaker too");
  b.applyRemote('t', { state: 'open', openUntil: 3000, consecutiveFailures: 2 });
  b.applyRemote('t', { state: 'open', openUntil: 2000, consecutiveFailures: 2 });
  assert.equal(b.openUntil('t'), 3000, 'a stale opening never shortens a later one');
});
