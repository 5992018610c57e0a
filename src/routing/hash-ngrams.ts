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

/** Letters and digits (ASCII fast path; any non-ASCII code unit counts as a word character). */
const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
const lower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

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
/** Slots in first-use order, and the buckets in them. */
const slots = new Int32Array(size);
const buckets = new Uint32Array(size);
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
    slots[used] = s;
    buckets[used++] = bucket;
  }
  counts[s] = (counts[s] ?? 0) + 1;
};

/**
 * Buckets have NGRAM_BITS bits: two counting passes of half as many bits each sort them in a few
 * microseconds, where TypedArray#sort cost ~9 µs for 250 of them.
 */
const RADIX_BITS = NGRAM_BITS / 2;
const RADIX = 1 << RADIX_BITS;
const radixCounts = new Int32Array(RADIX);
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

const sortedBuckets = (): Uint32Array => {
  const out = new Uint32Array(used);
  radixPass(buckets, radixTmp, used, 0);
  radixPass(radixTmp, out, used, RADIX_BITS);
  return out;
};

/** Sorted buckets with their l2-normalised counts; clears the table. */
const collect = (): { indices: Uint32Array; values: Float32Array } => {
  const indices = sortedBuckets();
  const values = new Float32Array(used);
  let norm = 0;
  for (let i = 0; i < used; i++) {
    const c = counts[slotOf(indices[i] ?? 0)] ?? 0;
    values[i] = c;
    norm += c * c;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < used; i++) values[i] = (values[i] ?? 0) / norm;
  for (let i = 0; i < used; i++) {
    const s = slots[i] ?? 0;
    keys[s] = EMPTY;
    counts[s] = 0;
  }
  used = 0;
  return { indices, values };
};

/**
 * One pass over the text, hashing words with FNV-1a as they are scanned (no regex, no substrings):
 * this runs on the request path whenever a learned policy reads the text.
 */
export const hashNgrams = (text: string): { indices: Uint32Array; values: Float32Array } => {
  const n = text.length;
  // A long text is read as head + ' ' + tail: characters [HEAD_CHARS, tailStart) are skipped.
  const tailStart = n - TAIL_CHARS;
  const gap = tailStart > HEAD_CHARS;
  let h = OFFSET;
  let inWord = false;
  let prev = -1;
  let from = 0;
  let to = gap ? HEAD_CHARS : n;
  for (;;) {
    // Each segment ends with a separator (the gap, then the end of the text).
    for (let k = from; k <= to; k++) {
      const c = k < to ? text.charCodeAt(k) : 32;
      if (isWordChar(c)) {
        h = Math.imul(h ^ lower(c), PRIME);
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
    if (to === n) break;
    [from, to] = [tailStart, n];
  }
  return collect();
};
