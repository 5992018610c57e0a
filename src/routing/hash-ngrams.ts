import { createSparsePool, type SparsePool } from './sparse-alloc.js';

/** Where prompts' n-gram vectors are allocated (src/routing/sparse-alloc.ts: one pool per kind). */
const promptNgrams = createSparsePool();

/** Hashed word uni- and bi-grams: 2^18 buckets, l2-normalised term frequency. */
const NGRAM_BITS = 18;
export const NGRAM_BUCKETS = 1 << NGRAM_BITS;
const BUCKET_MASK = NGRAM_BUCKETS - 1;
/**
 * A long prompt is hashed by its head and its tail: instructions open it, but the question itself
 * usually closes it (few-shot examples, pasted context come before). Hashing more costs
 * microseconds for little signal.
 */
const HEAD_CHARS = 300;
const TAIL_CHARS = 1_200;
const OFFSET = 0x811c9dc5;
const PRIME = 0x01000193;

/**
 * Per ASCII code unit: the lower-cased character for a word character (letters, digits, `_`),
 * 0 for a separator; any non-ASCII code unit counts as a word character, as itself. A table
 * lookup per character, where range tests and lower-casing cost twice as long.
 */
const FOLD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const word = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  FOLD[c] = word ? (c >= 65 && c <= 90 ? c + 32 : c) : 0;
}

/**
 * Counts per bucket in a small open-addressing table shared by every call (hashing is synchronous,
 * so calls never overlap), cleared after each call. A text of at most HEAD + 1 + TAIL characters
 * has fewer than that many n-grams, so the table is never more than a quarter full; at 32 kB it
 * stays in cache, where a count array of 2^18 buckets cost a cache miss per n-gram.
 */
let size = 1;
while (size < 4 * (HEAD_CHARS + 1 + TAIL_CHARS + 1)) size *= 2;
const MASK = size - 1;
const EMPTY = -1;
const keys = new Int32Array(size).fill(EMPTY);
const counts = new Int32Array(size);
/** Slots in first-use order. */
const slots = new Int32Array(size);
let used = 0;

const slotOf = (bucket: number): number => {
  let s = bucket & MASK;
  while (keys[s] !== EMPTY && keys[s] !== bucket) s = (s + 1) & MASK;
  return s;
};

const add = (bucket: number): void => {
  const s = slotOf(bucket);
  if (keys[s] === EMPTY) {
    keys[s] = bucket;
    slots[used++] = s;
  }
  counts[s] = (counts[s] ?? 0) + 1;
};

/**
 * Sorting: each used slot is packed as bucket << COUNT_BITS | count (a text has fewer than
 * 2^COUNT_BITS n-grams, so a count fits) and two counting passes over the bucket's two halves
 * sort them in a few microseconds, where TypedArray#sort cost ~9 µs for 250 of them; the counts
 * travel with their buckets, so nothing is looked up again.
 */
const COUNT_BITS = 11;
const COUNT_MASK = (1 << COUNT_BITS) - 1;
const RADIX_BITS = NGRAM_BITS / 2;
const RADIX = 1 << RADIX_BITS;
const radixCounts = new Int32Array(RADIX);
const packed = new Uint32Array(size);
const radixTmp = new Uint32Array(size);

const radixPass = (from: Uint32Array, to: Uint32Array, n: number, shift: number): void => {
  radixCounts.fill(0);
  for (let i = 0; i < n; i++) {
    const d = ((from[i] ?? 0) >>> shift) & (RADIX - 1);
    radixCounts[d] = (radixCounts[d] ?? 0) + 1;
  }
  let sum = 0;
  for (let d = 0; d < RADIX; d++) {
    const c = radixCounts[d] ?? 0;
    radixCounts[d] = sum;
    sum += c;
  }
  for (let i = 0; i < n; i++) {
    const v = from[i] ?? 0;
    const d = (v >>> shift) & (RADIX - 1);
    to[radixCounts[d] ?? 0] = v;
    radixCounts[d] = (radixCounts[d] ?? 0) + 1;
  }
};

/** Sorted buckets with their l2-normalised counts; clears the table. */
const collect = (pool: SparsePool): { indices: Uint32Array; values: Float32Array } => {
  const n = used;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const s = slots[i] ?? 0;
    const c = counts[s] ?? 0;
    packed[i] = ((keys[s] ?? 0) << COUNT_BITS) | c;
    norm += c * c;
    keys[s] = EMPTY;
    counts[s] = 0;
  }
  used = 0;
  radixPass(packed, radixTmp, n, COUNT_BITS);
  radixPass(radixTmp, packed, n, COUNT_BITS + RADIX_BITS);
  const { indices, values } = pool(n);
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < n; i++) {
    const p = packed[i] ?? 0;
    indices[i] = p >>> COUNT_BITS;
    values[i] = (p & COUNT_MASK) / norm;
  }
  return { indices, values };
};

/**
 * One pass over the text, hashing words with FNV-1a as they are scanned (no regex, no substrings):
 * this runs on the request path whenever a learned policy reads the text. `pool`: where the vector
 * is allocated (another kind of text than prompts — answers — brings its own).
 */
export const hashNgrams = (text: string, pool: SparsePool = promptNgrams): { indices: Uint32Array; values: Float32Array } => {
  const n = text.length;
  // A long text is read as head + ' ' + tail: at HEAD_CHARS a separator, then the scan resumes at tailStart.
  const tailStart = n - TAIL_CHARS;
  const skipAt = tailStart > HEAD_CHARS ? HEAD_CHARS : -1;
  let h = OFFSET;
  let inWord = false;
  let prev = -1;
  // The end of the text (k = n) is a separator too.
  for (let k = 0; k <= n; k++) {
    let c = 32;
    if (k === skipAt) k = tailStart - 1;
    else if (k < n) c = text.charCodeAt(k);
    const v = c < 128 ? (FOLD[c] ?? 0) : c;
    if (v !== 0) {
      h = Math.imul(h ^ v, PRIME);
      inWord = true;
    } else if (inWord) {
      const word = h >>> 0;
      // `& (buckets - 1)` is `% buckets` for a power of two, without a floating-point modulo.
      add(word & BUCKET_MASK);
      if (prev >= 0) add(Math.imul(prev ^ word, PRIME) & BUCKET_MASK);
      prev = word;
      h = OFFSET;
      inWord = false;
    }
  }
  return collect(pool);
};
