import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { StateStore } from '../spec/state.js';
import type { Config } from '../config/config-schema.js';
import { createMemoryStateStore } from '../state/memory-state-store.js';
import { createRedisStateStore } from '../state/redis-state-store.js';
import type { Metrics } from '../telemetry/create-metrics.js';

/** Credentials in a Redis URL never reach a log line. */
const safeUrl = (url: string): string => url.replace(/\/\/[^@/]*@/, '//***@');

/**
 * The state the config asks for: in memory (the embedded default) or one Redis shared by every
 * replica. Redis outages are logged once per change and exported as metrics; start-up does not
 * fail when Redis is away (the store serves on local state and reconnects on its own).
 */
export const openStateStore = async (state: Config['state'], configHash: string, logger: Logger, metrics: Metrics): Promise<StateStore> => {
  metrics.stateBackendUp.set(1);
  if (state.driver === 'memory') return createMemoryStateStore();
  const url = state.url as string;
  const seen = new Set<string>();
  const store = await createRedisStateStore({
    url, keyPrefix: state.keyPrefix, failMode: state.failMode, syncIntervalMs: state.syncIntervalMs, replicaId: randomUUID(),
    events: {
      backendChange: (up, reason) => {
        metrics.stateBackendUp.set(up ? 1 : 0);
        if (up) logger.info({ redis: safeUrl(url) }, 'shared state: Redis reachable');
        else logger.error({ redis: safeUrl(url), reason, failMode: state.failMode }, `shared state: Redis unreachable; serving on local state (fail-${state.failMode}) until it returns`);
      },
      fallback: () => metrics.stateFallbacks.inc(),
      foreignConfig: (hash, replica) => {
        metrics.configMismatch.inc();
        if (seen.has(hash)) return;
        seen.add(hash);
        logger.warn({ configHash, otherConfigHash: hash, otherReplica: replica }, 'another replica runs a different config');
      },
    },
  });
  store.announceConfig(configHash);
  return store;
};
