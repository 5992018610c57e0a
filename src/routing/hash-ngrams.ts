/** Hashed word uni- and bi-grams: 2^18 buckets, l2-normalised term frequency. */
export const NGRAM_BUCKETS = 1 << 18;
/** The head of a prompt carries the question; hashing more costs microseconds for little signal. */
const MAX_CHARS = 1_500;
const OFFSET = 0x811c9dc5;
const PRIME = 0x01000193;

/** Letters and digits (ASCII fast path; any non-ASCII code unit counts as a word character). */
const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
const lower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/**
 * One pass over the text, hashing words with FNV-1a as they are scanned (no regex, no substrings):
 * this runs on the request path whenever a learned policy reads the text.
 */
export const hashNgrams = (text: string): { indices: Uint32Array; values: Float32Array } => {
  const counts = new Map<number, number>();
  const add = (bucket: number): void => {
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  };
  const n = Math.min(text.length, MAX_CHARS);
  let h = OFFSET;
  let inWord = false;
  let prev = -1;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
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
  const indices = Uint32Array.from(counts.keys()).sort();
  const values = new Float32Array(indices.length);
  let norm = 0;
  for (const c of counts.values()) norm += c * c;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < indices.length; i++) values[i] = (counts.get(indices[i] ?? 0) ?? 0) / norm;
  return { indices, values };
};
