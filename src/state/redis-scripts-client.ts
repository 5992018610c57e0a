import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export type ScriptRunner = (keys: readonly string[], args: ReadonlyArray<string | number>) => Promise<unknown>;

/**
 * EVALSHA with a fallback to EVAL when Redis does not know the script yet (first call, or after a
 * restart or SCRIPT FLUSH): one round trip in the steady state, the script text only when needed.
 */
export const scriptRunner = (redis: Redis, lua: string): ScriptRunner => {
  const sha = createHash('sha1').update(lua).digest('hex');
  return async (keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(lua, keys.length, ...keys, ...args);
    }
  };
};
