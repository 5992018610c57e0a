/** A set that forgets its oldest members beyond `max` (insertion order), for recent-duplicate checks. */
export const createBoundedSet = (max: number) => {
  const members = new Set<string>();
  return {
    has: (key: string): boolean => members.has(key),
    add(key: string): void {
      members.add(key);
      if (members.size > max) {
        const oldest = members.values().next().value;
        if (oldest !== undefined) members.delete(oldest);
      }
    },
  };
};
