import { countTokens, decode, encode } from 'gpt-tokenizer';
import { LRUCache } from 'lru-cache';

export interface TokenCounter {
  count(text: string): number;
  /** The first `maxTokens` tokens of `text`. */
  truncate(text: string, maxTokens: number): string;
}

/**
 * Token counts with an LRU cache: the simulator is the mock upstream of the benchmarks, and
 * the same system prompts and questions come back again and again (tokenizing costs ~100 µs/KB).
 * lru-cache, not a Map evicted from its front: see src/learning/pending-decisions.ts.
 */
export const createTokenCounter = (maxEntries = 20_000): TokenCounter => {
  const cache = new LRUCache<string, number>({ max: maxEntries });
  return {
    count(text) {
      if (text === '') return 0;
      const hit = cache.get(text);
      if (hit !== undefined) return hit;
      const n = countTokens(text);
      cache.set(text, n);
      return n;
    },
    truncate: (text, maxTokens) => decode(encode(text).slice(0, maxTokens)),
  };
};
