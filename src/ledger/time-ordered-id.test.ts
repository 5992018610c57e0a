import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timeOrderedId } from './time-ordered-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('an id is an RFC 9562 UUID: version 7, variant 10', () => {
  for (let i = 0; i < 1000; i += 1) assert.match(timeOrderedId(), UUID_V7);
});

test('the first 48 bits are the Unix milliseconds it was made at', () => {
  const at = Date.UTC(2026, 11, 3, 8, 30, 0, 123);
  const id = timeOrderedId(at);
  assert.equal(parseInt(id.slice(0, 8) + id.slice(9, 13), 16), at);
  assert.equal(timeOrderedId(0).slice(0, 13), '00000000-0000');
});

test('ids made later sort after ids made earlier, including across a millisecond change in the hex width', () => {
  const times = [0xfff, 0x1000, 0x1000, Date.now(), Date.now() + 1, 2 ** 47, 2 ** 48 - 1];
  const ids = times.map((t) => timeOrderedId(t));
  for (let i = 1; i < ids.length; i += 1) {
    assert.ok(ids[i - 1]!.slice(0, 13) <= ids[i]!.slice(0, 13), `${ids[i - 1]} then ${ids[i]}`);
  }
});

test('ids made in the same millisecond are all different', () => {
  const at = Date.now();
  const ids = new Set(Array.from({ length: 50_000 }, () => timeOrderedId(at)));
  assert.equal(ids.size, 50_000);
});

test('an out-of-range or fractional time is clamped, never a malformed id', () => {
  assert.match(timeOrderedId(-5), UUID_V7);
  assert.match(timeOrderedId(1.7), UUID_V7);
  assert.equal(timeOrderedId(-5).slice(0, 13), '00000000-0000');
});

test('a time that is not a number gives the zero time, not "NaN" in the id', () => {
  assert.match(timeOrderedId(Number.NaN), UUID_V7);
  assert.match(timeOrderedId(Number.POSITIVE_INFINITY), UUID_V7);
});
