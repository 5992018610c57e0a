import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GatewayEvent } from '../spec/events.js';
import { afterResponse } from './defer-batched.js';

const end = { type: 'request-end', requestId: 'r1' } as unknown as GatewayEvent;
const attempt = { type: 'attempt-end', row: {} } as unknown as GatewayEvent;

test('afterResponse runs the sinks on request-end after the current turn, in order, and skips other events', async () => {
  const seen: string[] = [];
  const sink = afterResponse([(e) => seen.push(`a:${e.type}`), (e) => seen.push(`b:${e.type}`)], () => assert.fail('no error expected'));
  sink(attempt);
  sink(end);
  seen.push('returned');
  assert.deepEqual(seen, ['returned'], 'nothing runs before the caller goes on (the answer is written first)');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, ['returned', 'a:request-end', 'b:request-end']);
});

test('a sink that throws is reported and the next sink still runs; nothing is thrown uncaught', async () => {
  const errors: unknown[] = [];
  const seen: string[] = [];
  const sink = afterResponse([() => { throw new Error('boom'); }, () => seen.push('second')], (err) => errors.push(err));
  sink(end);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, ['second']);
  assert.equal((errors[0] as Error).message, 'boom');
});
