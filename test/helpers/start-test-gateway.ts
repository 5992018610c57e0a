import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buildConfig } from '../../src/config/load-config.js';
import type { ConfigInput } from '../../src/config/config-schema.js';
import { startGateway, type RunningGateway } from '../../src/cli/start-gateway.js';

export interface TestGateway extends RunningGateway {
  /** Every log line the gateway wrote. */
  logs: string[];
  ledgerPath: string;
}

/** Three simulated models with different sizes, prices and windows; routes over them. */
export const testConfigTree = (ledgerPath: string, overrides: Partial<ConfigInput> = {}): ConfigInput => ({
  ledger: { driver: 'sqlite', path: ledgerPath, flushIntervalMs: 20 },
  execution: { backoffBaseMs: 1, backoffMaxMs: 5, maxRetryAfterMs: 2_000, ttftTimeoutMs: 2_000, stallTimeoutMs: 1_000, attemptTimeoutMs: 2_000, totalTimeoutMs: 10_000 },
  breaker: { failureThreshold: 3, cooldownMs: 60_000 },
  providers: { sim: { kind: 'simulator', latencyScale: 0 } },
  models: [
    { id: 'small', provider: 'sim', prices: { input: 0.2, output: 0.6 }, contextWindow: 2_048, capabilities: { tools: true, jsonMode: true } },
    { id: 'medium', provider: 'sim', prices: { input: 1, output: 2, cachedInput: 0.5 }, contextWindow: 8_192, capabilities: { tools: true, jsonMode: true, vision: true } },
    { id: 'large', provider: 'sim', prices: { input: 10, output: 30, cachedInput: 5 }, contextWindow: 128_000, capabilities: { tools: true, jsonMode: true, vision: true } },
  ],
  routes: [
    { name: 'auto', targets: ['small', 'medium', 'large'], policy: { type: 'fixed' } },
    { name: 'big-first', targets: ['large', 'medium'], policy: { type: 'fixed' } },
  ],
  ...overrides,
});

export const startTestGateway = async (overrides: Partial<ConfigInput> = {}, env: Record<string, string> = {}): Promise<TestGateway> => {
  const ledgerPath = join(mkdtempSync(join(tmpdir(), 'sy-test-')), 'ledger.db');
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const config = buildConfig(testConfigTree(ledgerPath, overrides), 'test', { ...process.env, ...env });
  const gw = await startGateway({ config, port: 0, host: '127.0.0.1', logDestination: destination, logLevel: 'info' });
  return Object.assign(gw, { logs, ledgerPath });
};
