/**
 * A fixed set of lower-case words → bit masks, looked up by the FNV-1a hash a scanner builds as it
 * reads letters (no substrings, no Map): an open-addressing table of a few hundred slots that stays
 * in L1 cache. Words are keyed by their 32-bit hash alone, so a colliding word reads as a match;
 * callers treat a hit as "possible" or accept that rare false positive.
 */
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** The hash a scanner builds letter by letter: `h = Math.imul(h ^ (c | 32), FNV_PRIME)` from FNV_OFFSET. */
export const hashWord = (word: string): number => {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ (word.charCodeAt(i) | 32), FNV_PRIME);
  return h >>> 0;
};

export interface WordTable {
  /** The bits of the word whose hash is `h` (as `h >>> 0`), 0 when it is not in the table. */
  get(h: number): number;
}

export const createWordTable = (entries: Iterable<readonly [word: string, bits: number]>): WordTable => {
  const merged = new Map<number, number>();
  for (const [word, bits] of entries) merged.set(hashWord(word), (merged.get(hashWord(word)) ?? 0) | bits);
  let size = 16;
  while (size < merged.size * 4) size *= 2;
  const mask = size - 1;
  const keys = new Uint32Array(size);
  const used = new Uint8Array(size);
  const values = new Int32Array(size);
  for (const [h, bits] of merged) {
    let s = h & mask;
    while (used[s]) s = (s + 1) & mask;
    keys[s] = h;
    used[s] = 1;
    values[s] = bits;
  }
  return {
    get(h) {
      for (let s = h & mask; used[s]; s = (s + 1) & mask) if (keys[s] === h) return values[s] ?? 0;
      return 0;
    },
  };
};
