import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSparsePool } from './sparse-alloc.js';

const allocSparse = createSparsePool();

test('vectors are zeroed, of the asked length, and never share memory', () => {
  const vs = Array.from({ length: 5_000 }, (_, i) => allocSparse(1 + (i % 400)));
  vs.forEach((v, i) => {
    assert.equal(v.indices.length, 1 + (i % 400));
    assert.equal(v.values.length, v.indices.length);
    assert.ok(v.indices.every((x) => x === 0) && v.values.every((x) => x === 0));
    v.indices.fill(i + 1);
    v.values.fill(i + 1);
  });
  // Every write above landed in its own vector only.
  vs.forEach((v, i) => assert.ok(v.indices.every((x) => x === i + 1) && v.values.every((x) => x === i + 1), `vector ${i}`));
});

test('an empty vector and one larger than a slab share are both served', () => {
  assert.equal(allocSparse(0).indices.length, 0);
  const big = allocSparse(100_000);
  assert.equal(big.indices.length, 100_000);
  assert.equal(big.values.length, 100_000);
  assert.equal(big.indices.buffer.byteLength, 800_000);
});

test('two pools never hand out views of the same slab', () => {
  const a = createSparsePool();
  const b = createSparsePool();
  assert.notEqual(a(4).indices.buffer, b(4).indices.buffer);
});
