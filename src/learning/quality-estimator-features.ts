import type { FinishReason } from '../spec/chat.js';
import type { Features } from '../spec/routing.js';
import { hashNgrams, NGRAM_BUCKETS } from '../routing/hash-ngrams.js';
import type { SparseVector } from '../routing/text-vector.js';
import { createSparsePool } from '../routing/sparse-alloc.js';
import { isJson as jsonValid } from '../routing/scorers/is-json.js';

/** Where these vectors and the answers' n-grams are allocated (src/routing/sparse-alloc.ts: one pool per kind). */
const estimatorVectors = createSparsePool();
const answerNgrams = createSparsePool();

/** What the estimator sees of one answered request: the query's features and the response. */
export interface EstimatorInput {
  features: Features;
  responseText: string;
  finishReason: FinishReason | null;
  /** The answering model (catalog id). */
  model: string;
  /** Price or quality tier of the model, when the caller knows one (e.g. `premium`, `small`). */
  tier?: string;
  outputTokens?: number;
}

/**
 * Layout: response n-grams in [0, NGRAM_BUCKETS), then dense slots, then hashed categorical
 * crosses (model, model × task, model × answer shape) so one weight array holds all three.
 */
const DENSE = NGRAM_BUCKETS;
const DENSE_SLOTS = 16;
const CAT = DENSE + DENSE_SLOTS;
const CAT_BUCKETS = 1 << 12;
export const ESTIMATOR_VECTOR_SIZE = CAT + CAT_BUCKETS;

const REFUSAL = /\b(I(?:'m| am) (?:sorry|unable|not able)|I can(?:not|'t) (?:help|assist|provide|answer)|as an AI\b|I apologi[sz]e|unfortunately,? I)/i;
const CODE_BLOCK = /```|^(?: {4}|\t)\S/m;
const HEAD_CHARS = 2_000;
const CHOICE = /^\s*\(?[A-E]\)?(?:[\s.):]|$)/;

const fnv = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
};

/** Cosine of two l2-normalised sparse vectors with sorted indices (a merge join, no allocation). */
const cosine = (ai: Uint32Array, av: Float32Array, bi: Uint32Array, bv: Float32Array): number => {
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < ai.length && j < bi.length) {
    const x = ai[i] ?? 0;
    const y = bi[j] ?? 0;
    if (x === y) dot += (av[i++] ?? 0) * (bv[j++] ?? 0);
    else if (x < y) i++;
    else j++;
  }
  return dot;
};

const words = (text: string): number => {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = text.charCodeAt(i) <= 32;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
};

/** The estimator's sparse vector: pure, a few microseconds for a typical answer. */
export const estimatorVector = (x: EstimatorInput): SparseVector => {
  const f = x.features;
  // Markers are read from the head of long answers: the cost stays flat in the answer's length.
  const text = x.responseText.length > HEAD_CHARS ? x.responseText.slice(0, HEAD_CHARS) : x.responseText;
  const r = hashNgrams(text, answerNgrams);
  const tokens = x.outputTokens ?? Math.ceil(x.responseText.length / 4);
  const nWords = words(text);
  const isCodeTask = f.taskType === 'code';
  const hasBlock = CODE_BLOCK.test(text);
  const json = f.jsonMode ? jsonValid(x.responseText) : undefined;
  const shape = nWords === 0 ? 'empty' : nWords <= 3 ? (CHOICE.test(text) ? 'choice' : 'short') : hasBlock ? 'code' : 'prose';
  const dense = [
    1,
    Math.log1p(tokens) / 8,
    x.finishReason === 'length' ? 1 : 0,
    nWords === 0 ? 1 : 0,
    REFUSAL.test(text.slice(0, 400)) ? 1 : 0,
    json === true ? 1 : 0,
    json === false ? 1 : 0,
    cosine(f.hashedNgrams, f.hashedValues, r.indices, r.values),
    isCodeTask && hasBlock ? 1 : 0,
    isCodeTask && !hasBlock ? 1 : 0,
    nWords <= 3 ? 1 : 0,
    f.requestedMaxTokens ? Math.min(1, tokens / f.requestedMaxTokens) : 0,
    Math.log1p(f.inputTokens) / 10,
    f.hasReasoningKeywords ? 1 : 0,
    text.includes('\n') ? 1 : 0,
    CHOICE.test(text) ? 1 : 0,
  ];
  const cats = [`m:${x.model}`, `mt:${x.model}|${f.taskType}`, `ms:${x.model}|${shape}`, `ts:${f.taskType}|${shape}`];
  if (x.tier) cats.push(`tier:${x.tier}`, `tt:${x.tier}|${f.taskType}`);
  const n = r.indices.length;
  const { indices, values } = estimatorVectors(n + DENSE_SLOTS + cats.length);
  indices.set(r.indices);
  values.set(r.values);
  for (let k = 0; k < DENSE_SLOTS; k++) {
    indices[n + k] = DENSE + k;
    values[n + k] = dense[k] ?? 0;
  }
  cats.forEach((c, k) => {
    indices[n + DENSE_SLOTS + k] = CAT + (fnv(c) % CAT_BUCKETS);
    values[n + DENSE_SLOTS + k] = 1;
  });
  return { indices, values };
};
