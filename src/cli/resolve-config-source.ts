import { existsSync } from 'node:fs';
import { buildConfig, loadConfig } from '../config/load-config.js';
import { defaultConfigTree } from '../config/default-config.js';
import type { ResolvedConfig } from '../config/resolve-config.js';

/**
 * Which config to run: --config, else $SWITCHYARD_CONFIG, else ./switchyard.yaml when present,
 * else the embedded default (simulator upstream, SQLite ledger, no keys).
 */
export const resolveConfigSource = async (explicit: string | undefined): Promise<{ config: ResolvedConfig; source: string }> => {
  const path = explicit ?? process.env['SWITCHYARD_CONFIG'] ?? (existsSync('switchyard.yaml') ? 'switchyard.yaml' : undefined);
  if (path) return { config: await loadConfig(path), source: path };
  return { config: buildConfig(defaultConfigTree(), 'embedded default'), source: 'embedded default' };
};
