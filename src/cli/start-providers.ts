import type { ProviderAdapter } from '../spec/provider.js';
import type { ResolvedConfig } from '../config/resolve-config.js';
import { loadDataset } from '../datasets/load-dataset.js';
import { createAdapter } from '../providers/create-adapter.js';
import { createSimulator } from '../simulator/create-simulator.js';

type Simulator = ReturnType<typeof createSimulator>;

/**
 * One adapter per configured provider. A `simulator` provider is started in-process on loopback
 * and reached through the OpenAI-compatible adapter, exactly like a real upstream.
 */
export const startProviders = async (resolved: ResolvedConfig): Promise<{ adapters: Map<string, ProviderAdapter>; simulators: Simulator[] }> => {
  const adapters = new Map<string, ProviderAdapter>();
  const simulators: Simulator[] = [];
  for (const [name, p] of Object.entries(resolved.config.providers)) {
    if (p.kind === 'simulator') {
      const models = resolved.catalog.list().filter((m) => m.provider === name);
      const dataset = p.dataset ? await loadDataset(p.dataset) : undefined;
      const sim = createSimulator({
        models: models.map((m) => ({ id: m.upstreamModel, ttftMs: m.latency.ttftMs, tokensPerSecond: m.latency.tokensPerSecond, contextWindow: m.contextWindow })),
        latencyScale: p.latencyScale ?? 1,
        dataset,
      });
      const base = await sim.listen(0, '127.0.0.1');
      simulators.push(sim);
      adapters.set(name, createAdapter('openai', name, { baseUrl: `${base}/v1`, connections: p.connections }));
      continue;
    }
    if (!p.baseUrl) throw new Error(`providers.${name}.baseUrl is required for kind ${p.kind}`);
    adapters.set(name, createAdapter(p.kind, name, {
      baseUrl: p.baseUrl, apiKey: p.apiKey, headers: p.headers, apiVersion: p.apiVersion, authHeader: p.authHeader, connections: p.connections,
    }));
  }
  return { adapters, simulators };
};
