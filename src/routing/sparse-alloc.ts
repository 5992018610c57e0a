import type { SparseVector } from './text-vector.js';

/**
 * Sparse vectors (indices + values) carved out of shared 64 kB ArrayBuffers. Every `new
 * ArrayBuffer` is an off-heap allocation V8 tracks as external memory: besides its own cost, its
 * bookkeeping lands on whichever allocation next triggers a scavenge, so the request path paid it
 * in the decision's tail (`node dist/bench/routing/run.js`: the classifier's plan p99 halved with
 * this and the faster hashing, docs/routing.md).
 *
 * A view keeps its whole slab alive, so each kind of vector has its own pool: vectors of one kind
 * are made and dropped in about request order (a pool's slabs are freed as its vectors are), and a
 * short-lived kind never pins the slabs of a long-lived one. A holder that keeps vectors out of that
 * order (failure memory) keeps exact-size copies instead.
 */
const SLAB_BYTES = 1 << 16;

export type SparsePool = (n: number) => SparseVector;

export const createSparsePool = (): SparsePool => {
  let slab = new ArrayBuffer(SLAB_BYTES);
  let offset = 0;
  /** A zeroed sparse vector of `n` entries (indices then values, 4 bytes each). */
  return (n) => {
    const bytes = 8 * n;
    if (bytes > SLAB_BYTES / 4) {
      const own = new ArrayBuffer(bytes);
      return { indices: new Uint32Array(own, 0, n), values: new Float32Array(own, 4 * n, n) };
    }
    if (offset + bytes > SLAB_BYTES) {
      slab = new ArrayBuffer(SLAB_BYTES);
      offset = 0;
    }
    const v = { indices: new Uint32Array(slab, offset, n), values: new Float32Array(slab, offset + 4 * n, n) };
    offset += bytes;
    return v;
  };
};
