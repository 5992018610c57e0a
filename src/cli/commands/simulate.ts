import type { Command } from 'commander';
import { buildConfig } from '../../config/load-config.js';
import { defaultConfigTree } from '../../config/default-config.js';
import { loadDataset } from '../../datasets/load-dataset.js';
import { createSimulator } from '../../simulator/create-simulator.js';

export const registerSimulateCommand = (program: Command): void => {
  program
    .command('simulate')
    .description('run the provider simulator (OpenAI and Anthropic wire protocols) on loopback')
    .option('-p, --port <port>', 'port', '9090')
    .option('--data <file>', 'routing dataset (canonical JSONL or RouterBench CSV) whose real outcomes the models answer with')
    .option('--latency-scale <x>', 'multiply simulated latency (0 = instant)', '1')
    .action(async (opts: { port: string; data?: string; latencyScale: string }) => {
      const port = Number(opts.port);
      const latencyScale = Number(opts.latencyScale);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: expected 0-65535, got '${opts.port}'`);
      if (!Number.isFinite(latencyScale) || latencyScale < 0) throw new Error(`--latency-scale: expected a number ≥ 0, got '${opts.latencyScale}'`);
      const catalog = buildConfig(defaultConfigTree(), 'embedded default').catalog;
      const sim = createSimulator({
        models: catalog.list().map((m) => ({ id: m.upstreamModel, ttftMs: m.latency.ttftMs, tokensPerSecond: m.latency.tokensPerSecond, contextWindow: m.contextWindow })),
        latencyScale,
        dataset: opts.data ? await loadDataset(opts.data) : undefined,
      });
      const url = await sim.listen(port, '127.0.0.1');
      console.log(`simulator listening on ${url} (OpenAI: ${url}/v1/chat/completions, Anthropic: ${url}/v1/messages; faults: POST ${url}/_sim/faults)`);
      const stop = (): void => void sim.close().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
};
