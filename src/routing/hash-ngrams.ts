/** Hashed word uni- and bi-grams: 2^18 buckets, l2-normalised term frequency. */
export const NGRAM_BUCKETS = 1 << 18;
const MAX_CHARS = 4_000;
const WORD = /[\p{L}\p{N}_]+/gu;

/** FNV-1a over the UTF-16 code units: fast, stable across runs and machines. */
const fnv1a = (s: string, seed = 0x811c9dc5): number => {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

export const hashNgrams = (text: string): { indices: Uint32Array; values: Float32Array } => {
  const counts = new Map<number, number>();
  const words = text.slice(0, MAX_CHARS).toLowerCase().match(WORD) ?? [];
  let prev = '';
  for (const w of words) {
    const u = fnv1a(w) % NGRAM_BUCKETS;
    counts.set(u, (counts.get(u) ?? 0) + 1);
    if (prev) {
      const b = fnv1a(w, fnv1a(prev)) % NGRAM_BUCKETS;
      counts.set(b, (counts.get(b) ?? 0) + 1);
    }
    prev = w;
  }
  const indices = Uint32Array.from(counts.keys()).sort();
  const values = new Float32Array(indices.length);
  let norm = 0;
  for (const c of counts.values()) norm += c * c;
  norm = Math.sqrt(norm) || 1;
  indices.forEach((idx, i) => (values[i] = (counts.get(idx) ?? 0) / norm));
  return { indices, values };
};
