import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAnswerer } from './create-answerer.js';
import { createFaultPlan } from './create-fault-plan.js';
import { createPromptAccounting } from './create-prompt-accounting.js';
import { createTokenCounter } from './create-token-counter.js';
import { handleSimulatedChat, sendJson, type SimulatorCore } from './handle-simulated-chat.js';
import { setFaultsBodySchema, type Faults, type ModelStats, type SimulatorOptions } from './simulator-options.js';
import { ANTHROPIC_PROTOCOL, OPENAI_PROTOCOL, type SimProtocol } from './simulator-protocols.js';

export interface Simulator {
  /** Starts serving on loopback (port 0 = any free port); resolves to the base URL, e.g. http://127.0.0.1:4010 (append /v1 for clients). */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops serving and drops every open connection (including calls held by a timeout fault). */
  close(): Promise<void>;
  /** Replaces the faults of a model (`*` = every model without its own). */
  setFaults(modelId: string, faults: Faults): void;
  /** Calls and faults per model id since start. */
  stats(): Record<string, ModelStats>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Routes by path suffix, so `/v1/…`, `/…` and Azure's `/openai/deployments/x/chat/completions` all work. */
const protocolFor = (path: string): SimProtocol | undefined => {
  if (path.endsWith('/chat/completions')) return OPENAI_PROTOCOL;
  if (path.endsWith('/messages')) return ANTHROPIC_PROTOCOL;
  return undefined;
};

const readBody = (req: IncomingMessage, limit: number): Promise<string | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const modelsBody = (ids: readonly string[], anthropic: boolean): string =>
  JSON.stringify(
    anthropic
      ? { data: ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '2024-01-01T00:00:00Z' })), has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null }
      : { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'simulator' })) },
  );

/**
 * The provider simulator: OpenAI (`POST /v1/chat/completions`) and Anthropic (`POST /v1/messages`)
 * on one plain node:http server, with simulated latency, prompt caching, context windows,
 * dataset-backed answers and injectable faults (`POST /_sim/faults`, `GET /_sim/stats`).
 */
export const createSimulator = (options: SimulatorOptions): Simulator => {
  const counter = createTokenCounter();
  const plan = createFaultPlan(options.seed ?? 1);
  for (const [model, faults] of Object.entries(options.faults ?? {})) plan.set(model, faults);
  let seq = 0;
  const core: SimulatorCore = {
    models: new Map(options.models.map((m) => [m.id, m])),
    latencyScale: options.latencyScale ?? 1,
    plan,
    accounting: createPromptAccounting(counter, options.minCacheTokens ?? 1024),
    answerer: createAnswerer(options.dataset ?? [], counter),
    stats: new Map(),
    nowSeconds: options.nowSeconds ?? (() => Math.floor(Date.now() / 1000)),
    nextId: () => `sim${(++seq).toString(36).padStart(8, '0')}`,
  };
  const ids = options.models.map((m) => m.id);
  const openaiModels = modelsBody(ids, false);
  const anthropicModels = modelsBody(ids, true);

  const admin = (path: string, raw: string, res: ServerResponse): void => {
    if (path === '/_sim/stats') return sendJson(res, 200, JSON.stringify(Object.fromEntries(core.stats)));
    let parsed;
    try {
      parsed = setFaultsBodySchema.safeParse(JSON.parse(raw));
    } catch {
      return sendJson(res, 400, '{"error":{"message":"invalid JSON"}}');
    }
    if (!parsed.success) return sendJson(res, 400, JSON.stringify({ error: { message: parsed.error.issues[0]?.message ?? 'invalid' } }));
    const { model, ...faults } = parsed.data;
    plan.set(model, faults);
    res.writeHead(204).end();
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?', 1)[0] as string;
    if (req.method === 'GET' && path.endsWith('/models')) {
      return sendJson(res, 200, req.headers['anthropic-version'] ? anthropicModels : openaiModels);
    }
    const protocol = protocolFor(path);
    const isAdmin = path.startsWith('/_sim/');
    if (req.method !== 'POST' && !(isAdmin && req.method === 'GET')) {
      return sendJson(res, 404, OPENAI_PROTOCOL.error('not_found', `no route ${req.method} ${path}`).body);
    }
    const raw = await readBody(req, MAX_BODY_BYTES);
    if (raw === undefined) return sendJson(res, 413, (protocol ?? OPENAI_PROTOCOL).error('invalid', 'request body too large').body);
    if (isAdmin) return admin(path, raw, res);
    if (protocol === undefined) return sendJson(res, 404, OPENAI_PROTOCOL.error('not_found', `no route POST ${path}`).body);
    handleSimulatedChat(core, protocol, raw, req, res);
  };

  const server = createServer((req, res) => {
    route(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, OPENAI_PROTOCOL.error('server_error', 'simulator failure').body);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;

  return {
    listen: (port = 0, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}`);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    setFaults: (modelId, faults) => plan.set(modelId, faults),
    stats: () => Object.fromEntries([...core.stats].map(([id, s]) => [id, { ...s, byFault: { ...s.byFault } }])),
  };
};
