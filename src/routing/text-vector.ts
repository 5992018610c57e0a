import type { Features, TaskType } from '../spec/routing.js';
import { NGRAM_BUCKETS } from './hash-ngrams.js';
import { createSparsePool } from './sparse-alloc.js';

/** Where these vectors are allocated (src/routing/sparse-alloc.ts: one pool per kind). */
const textVectors = createSparsePool();

/**
 * The sparse vector learned text models read: hashed n-grams, then a few dense slots (task
 * one-hot, markers, log size). Dense slots live past the n-gram buckets so one weight array
 * holds both.
 */
export const TASKS: readonly TaskType[] = ['classification', 'extraction', 'translation', 'sentiment', 'qa', 'math', 'code', 'reasoning', 'writing', 'summarization', 'chat'];
export const DENSE_OFFSET = NGRAM_BUCKETS;
export const VECTOR_SIZE = NGRAM_BUCKETS + TASKS.length + 6;

export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

/** Dense slots after the n-grams: task one-hot, code, math, reasoning, log size, depth, bias. */
const DENSE_SLOTS = 7;

/** The vector (the request path builds one per decision of a learned policy). */
export const toTextVector = (f: Features): SparseVector => {
  const n = f.hashedNgrams.length;
  const { indices, values } = textVectors(n + DENSE_SLOTS);
  indices.set(f.hashedNgrams);
  values.set(f.hashedValues);
  const dense = (k: number, slot: number, value: number): void => {
    indices[n + k] = slot;
    values[n + k] = value;
  };
  dense(0, DENSE_OFFSET + TASKS.indexOf(f.taskType), 1);
  dense(1, DENSE_OFFSET + TASKS.length, f.hasCode ? 1 : 0);
  dense(2, DENSE_OFFSET + TASKS.length + 1, f.hasMath ? 1 : 0);
  dense(3, DENSE_OFFSET + TASKS.length + 2, f.hasReasoningKeywords ? 1 : 0);
  dense(4, DENSE_OFFSET + TASKS.length + 3, Math.log1p(f.inputTokens) / 10);
  dense(5, DENSE_OFFSET + TASKS.length + 4, Math.min(f.depth, 10) / 10);
  dense(6, DENSE_OFFSET + TASKS.length + 5, 1); // bias
  return { indices, values };
};
