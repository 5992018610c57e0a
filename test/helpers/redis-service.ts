import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ServiceSpec } from './require-service.js';

export const redisUrl = process.env['SWITCHYARD_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export const redisService: ServiceSpec = {
  name: 'Redis',
  where: redisUrl,
  envVar: 'SWITCHYARD_TEST_REDIS_URL',
  probe: async () => {
    const client = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
    } finally {
      client.disconnect();
    }
  },
};

/** A key prefix no other test run shares (the Redis on this machine is shared: never FLUSHALL). */
export const testKeyPrefix = (): string => `switchyard-test:${randomBytes(6).toString('hex')}:`;

/** Deletes every key under `prefix`. */
export const deleteKeys = async (prefix: string): Promise<void> => {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
};
