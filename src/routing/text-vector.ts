import type { Features, TaskType } from '../spec/routing.js';
import { NGRAM_BUCKETS } from './hash-ngrams.js';

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

export const toTextVector = (f: Features): SparseVector => {
  const n = f.hashedNgrams.length;
  const dense: Array<[number, number]> = [
    [DENSE_OFFSET + TASKS.indexOf(f.taskType), 1],
    [DENSE_OFFSET + TASKS.length, f.hasCode ? 1 : 0],
    [DENSE_OFFSET + TASKS.length + 1, f.hasMath ? 1 : 0],
    [DENSE_OFFSET + TASKS.length + 2, f.hasReasoningKeywords ? 1 : 0],
    [DENSE_OFFSET + TASKS.length + 3, Math.log1p(f.inputTokens) / 10],
    [DENSE_OFFSET + TASKS.length + 4, Math.min(f.depth, 10) / 10],
    [DENSE_OFFSET + TASKS.length + 5, 1], // bias
  ];
  const indices = new Uint32Array(n + dense.length);
  const values = new Float32Array(n + dense.length);
  indices.set(f.hashedNgrams);
  values.set(f.hashedValues);
  dense.forEach(([i, v], k) => {
    indices[n + k] = i;
    values[n + k] = v;
  });
  return { indices, values };
};
