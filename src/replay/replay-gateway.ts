import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigInput } from '../config/config-schema.js';
import { defaultConfigTree } from '../config/default-config.js';
import { buildConfig } from '../config/load-config.js';
import type { PricesFile } from '../datasets/dataset-record.js';
import { startGateway, type RunningGateway } from '../cli/start-gateway.js';

export const REPLAY_ROUTE = 'learning';

export interface ReplayGatewayOptions {
  data: string;
  models: readonly string[];
  prices?: PricesFile;
  /** The learning route's `policy` block (e.g. `{"type": "bandit"}`). */
  policy: Record<string, unknown>;
  /** Extra top-level config merged in (e.g. a `learning` section). */
  extra?: Record<string, unknown>;
}

/** Catalog entries for the dataset's models: the embedded RouterBench ones, else a prices file. */
const modelsFor = (models: readonly string[], prices: PricesFile | undefined): NonNullable<ConfigInput['models']> => {
  const known = new Map((defaultConfigTree().models ?? []).map((m) => [m.id, m]));
  return models.map((id) => {
    const p = prices?.[id];
    if (p) return { id, provider: 'sim', prices: { input: p.input_per_mtok, output: p.output_per_mtok }, contextWindow: 128_000 };
    const m = known.get(id);
    if (!m) throw new Error(`model '${id}' is neither in the embedded catalog nor in --prices`);
    return { ...m, provider: 'sim', contextWindow: 128_000 };
  });
};

/**
 * A gateway in this process whose only upstream is the simulator loaded with the dataset (so every
 * answer carries the dataset's real outcome), with one route over the dataset's models. Instant
 * simulated latency, a throw-away SQLite ledger (deleted by close()), silent logs.
 */
export const startReplayGateway = async (o: ReplayGatewayOptions): Promise<RunningGateway> => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-replay-'));
  const tree = {
    logging: { level: 'silent' },
    ledger: { driver: 'sqlite', path: join(dir, 'ledger.db') },
    providers: { sim: { kind: 'simulator', latencyScale: 0, dataset: o.data } },
    models: modelsFor(o.models, o.prices),
    routes: [{ name: REPLAY_ROUTE, targets: [...o.models], policy: o.policy, allowModelOverride: false }],
    ...o.extra,
  } as ConfigInput;
  const config = buildConfig(tree, 'replay', {});
  const gateway = await startGateway({ config, host: '127.0.0.1', port: 0, logLevel: 'silent' });
  return {
    ...gateway,
    async close() {
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
