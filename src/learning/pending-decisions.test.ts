import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeDecision } from '../ledger/learning-store-conformance.js';
import { createPendingDecisions } from './pending-decisions.js';

const pending = (decisionId: string, ts: number) => ({ record: makeDecision({ decisionId, ts }), segment: 'standard/chat' });

test('pending decisions stay bounded: the oldest is evicted on every insert over the limit', () => {
  const p = createPendingDecisions(3, 60_000);
  for (let i = 0; i < 10; i++) p.add(pending(`d${i}`, 0), 0);
  assert.equal(p.size, 3);
  assert.equal(p.get('d6', 0), undefined);
  assert.ok(p.get('d9', 0));
});

test('an expired decision is never served, and expired ones are swept on a later insert', () => {
  const p = createPendingDecisions(100, 10);
  p.add(pending('old', 0), 0);
  p.add(pending('new', 15), 15);
  assert.equal(p.get('old', 15), undefined);
  p.add(pending('a', 5), 5);
  p.add(pending('later', 2_000), 2_000);
  assert.equal(p.size, 1);
  assert.ok(p.get('later', 2_000));
});
