/** Hashed word uni- and bi-grams: 2^18 buckets, l2-normalised term frequency. */
export const NGRAM_BUCKETS = 1 << 18;
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
 * Scratch space shared by every call (hashing is synchronous, so calls never overlap): counts per
 * bucket and the buckets touched, reset after each call. A Map per call cost more than the hashing.
 */
const counts = new Float32Array(NGRAM_BUCKETS);
let touched = new Uint32Array(1_024);

/**
 * One pass over the text, hashing words with FNV-1a as they are scanned (no regex, no substrings):
 * this runs on the request path whenever a learned policy reads the text.
 */
export const hashNgrams = (text: string): { indices: Uint32Array; values: Float32Array } => {
  let used = 0;
  const add = (bucket: number): void => {
    if (counts[bucket] === 0) {
      if (used === touched.length) {
        const grown = new Uint32Array(touched.length * 2);
        grown.set(touched);
        touched = grown;
      }
      touched[used++] = bucket;
    }
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  };
  const n = text.length;
  // A long text is read as head + ' ' + tail: characters [HEAD_CHARS, tailStart) are skipped.
  const tailStart = n - TAIL_CHARS;
  const gap = tailStart > HEAD_CHARS;
  const len = gap ? HEAD_CHARS + 1 + TAIL_CHARS : n;
  let h = OFFSET;
  let inWord = false;
  let prev = -1;
  for (let k = 0; k <= len; k++) {
    const c = k === len ? 32 : !gap || k < HEAD_CHARS ? text.charCodeAt(k) : k === HEAD_CHARS ? 32 : text.charCodeAt(tailStart + k - HEAD_CHARS - 1);
    if (isWordChar(c)) {
      h = Math.imul(h ^ lower(c), PRIME);
      inWord = true;
    } else if (inWord) {
      const word = h >>> 0;
      add(word % NGRAM_BUCKETS);
      if (prev >= 0) add((Math.imul(prev ^ word, PRIME) >>> 0) % NGRAM_BUCKETS);
      prev = word;
      h = OFFSET;
      inWord = false;
    }
  }
  const indices = touched.slice(0, used).sort();
  const values = new Float32Array(used);
  let norm = 0;
  for (let i = 0; i < used; i++) {
    const c = counts[indices[i] ?? 0] ?? 0;
    values[i] = c;
    norm += c * c;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < used; i++) {
    values[i] = (values[i] ?? 0) / norm;
    counts[indices[i] ?? 0] = 0;
  }
  return { indices, values };
};
