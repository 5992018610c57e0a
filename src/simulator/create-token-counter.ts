import { countTokens, decode, encode } from 'gpt-tokenizer';

export interface TokenCounter {
  count(text: string): number;
  /** The first `maxTokens` tokens of `text`. */
  truncate(text: string, maxTokens: number): string;
}

/**
 * Token counts with an LRU-ish cache: the simulator is the mock upstream of the benchmarks, and
 * the same system prompts and questions come back again and again (tokenizing costs ~100 µs/KB).
 * A Map keeps insertion order, so re-inserting on a hit and evicting the first key is an LRU.
 */
export const createTokenCounter = (maxEntries = 20_000): TokenCounter => {
  const cache = new Map<string, number>();
  return {
    count(text) {
      if (text === '') return 0;
      const hit = cache.get(text);
      if (hit !== undefined) {
        cache.delete(text);
        cache.set(text, hit);
        return hit;
      }
      const n = countTokens(text);
      cache.set(text, n);
      if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
      return n;
    },
    truncate: (text, maxTokens) => decode(encode(text).slice(0, maxTokens)),
  };
};
