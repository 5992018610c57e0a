import { LRUCache } from 'lru-cache';

/**
 * A set that forgets its oldest members beyond `max`, for recent-duplicate checks. In lru-cache:
 * a Set evicted from its front slows down as it fills (src/learning/pending-decisions.ts says why).
 */
export const createBoundedSet = (max: number) => {
  const members = new LRUCache<string, true>({ max });
  return {
    has: (key: string): boolean => members.has(key),
    add(key: string): void {
      members.set(key, true);
    },
  };
};
