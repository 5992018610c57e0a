import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { SpendQuery, SpendRow } from '../spec/ledger.js';
import type { SharedStats } from '../spec/state.js';
import { GatewayError } from '../errors/index.js';
import { authenticate, authenticateAdmin, type AuthConfig, type Identity } from './authenticate.js';
import { createChatRoute, type ChatRouteDeps } from './routes/chat-route.js';
import { createFeedbackRoute, type FeedbackRouteDeps } from './routes/feedback-route.js';
import { registerAdminPolicyRoutes, type AdminPolicyDeps } from './routes/admin-policy-routes.js';
import { anthropicProtocol } from './protocols/anthropic-protocol.js';
import { openaiProtocol } from './protocols/openai-protocol.js';
import type { InboundProtocol } from './protocols/inbound-protocol.js';
import { requestIdFrom } from './request-headers.js';
import { toGatewayError } from './to-gateway-error.js';
import { clientErrorHandler } from './client-error-handler.js';
import { parseJsonBody } from './parse-json-body.js';
import { DASHBOARD_HTML } from './dashboard/dashboard-page.js';

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | undefined;
  }
}

export interface AppDeps extends ChatRouteDeps, FeedbackRouteDeps, AdminPolicyDeps {
  auth: AuthConfig;
  bodyLimitBytes: number;
  newId(): string;
  models(): ReadonlyArray<{ id: string; ownedBy: string }>;
  metrics(): Promise<{ contentType: string; body: string }>;
  parseSpendQuery(query: unknown): SpendQuery;
  spend(query: SpendQuery): Promise<SpendRow[]>;
  /** Replica-summed statistics (GET /admin/stats?prefix=target:). */
  sharedStats?: SharedStats;
  /** The quality estimator's confidence per segment and the judge's counters (GET /admin/learning). */
  learningView?(): Record<string, unknown>;
  /** False while starting or draining: /readyz then answers 503. */
  ready(): boolean;
  health(): Record<string, unknown>;
  onError?(err: GatewayError, req: FastifyRequest): void;
}

const protocolFor = (url: string): InboundProtocol => (url.startsWith('/v1/messages') ? anthropicProtocol : openaiProtocol);

/** The only place the HTTP framework lives: routes, auth hook and the one error handler. */
export const createApp = (deps: AppDeps): FastifyInstance => {
  const app = Fastify({
    logger: false,
    bodyLimit: deps.bodyLimitBytes,
    genReqId: (req) => requestIdFrom(req.headers, deps.newId),
    return503OnClosing: true,
    clientErrorHandler,
  });
  app.decorateRequest('identity', undefined);
  // Only JSON is accepted: a text/plain body (curl -d without a content type) gets a clear 415.
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);

  // Callback-style hooks: an async hook costs a promise and a microtask turn per request.
  const userAuth = (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void => {
    try {
      req.identity = authenticate(deps.auth, req.headers);
    } catch (err) {
      return done(err as Error);
    }
    done();
  };
  const adminAuth = async (req: FastifyRequest): Promise<void> => {
    authenticateAdmin(deps.auth, req.headers);
  };

  app.addHook('onSend', (req, reply, payload, done) => {
    void reply.header('x-request-id', req.id);
    done(null, payload);
  });

  app.setErrorHandler((err, req, reply) => {
    const e = toGatewayError(err, { bodyLimitBytes: deps.bodyLimitBytes });
    deps.onError?.(e, req);
    if (e.retryAfterMs !== undefined) void reply.header('retry-after', String(Math.max(1, Math.ceil(e.retryAfterMs / 1000))));
    void reply.status(e.status).send(protocolFor(req.url).errorBody(e));
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send(protocolFor(req.url).errorBody(new GatewayError('not_found', `no route for ${req.method} ${req.url.split('?')[0]}`)));
  });

  app.post('/v1/chat/completions', { preHandler: userAuth }, createChatRoute(deps, openaiProtocol));
  app.post('/v1/messages', { preHandler: userAuth }, createChatRoute(deps, anthropicProtocol));
  app.post('/v1/feedback', { preHandler: userAuth }, createFeedbackRoute(deps));
  const modelObject = (m: { id: string; ownedBy: string }) => ({ id: m.id, object: 'model', created: 0, owned_by: m.ownedBy });
  app.get('/v1/models', { preHandler: userAuth }, async () => ({ object: 'list', data: deps.models().map(modelObject) }));
  // Model ids may hold slashes (`meta-llama/Llama-3-8b`): the rest of the path is the id.
  app.get('/v1/models/*', { preHandler: userAuth }, async (req) => {
    const id = decodeURIComponent((req.params as { '*': string })['*']);
    const model = deps.models().find((m) => m.id === id);
    if (!model) throw new GatewayError('model_not_found', `the model or route '${id}' does not exist`, { param: 'model' });
    return modelObject(model);
  });
  app.get('/healthz', async () => ({ status: 'ok', ...deps.health() }));
  app.get('/readyz', async (_req, reply: FastifyReply) => {
    if (!deps.ready()) return reply.status(503).send({ status: 'not ready' });
    return { status: 'ready' };
  });
  app.get('/metrics', async (_req, reply) => {
    const m = await deps.metrics();
    return reply.type(m.contentType).send(m.body);
  });
  // The page holds no data: it reads /metrics and the admin API (with the admin key) from the browser.
  app.get('/dashboard', async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors 'none'")
      .send(DASHBOARD_HTML));
  registerAdminPolicyRoutes(app, deps, adminAuth);
  app.get('/admin/spend', { preHandler: adminAuth }, async (req) => {
    const query = deps.parseSpendQuery(req.query);
    const rows = await deps.spend(query);
    return {
      object: 'list',
      group_by: query.groupBy,
      data: rows.map((r) => ({ ...r, costUsd: r.costMicroUsd / 1_000_000 })),
    };
  });
  app.get('/admin/stats', { preHandler: adminAuth }, async (req) => {
    const raw = (req.query as Record<string, unknown>)['prefix'];
    if (raw !== undefined && typeof raw !== 'string') throw new GatewayError('invalid_request', 'prefix: expected one string', { param: 'prefix' });
    const stats = deps.sharedStats;
    const keys = stats ? stats.keys(raw ?? '').sort() : [];
    return { object: 'list', data: keys.map((key) => ({ key, values: stats?.get(key) ?? {} })) };
  });
  app.get('/admin/learning', { preHandler: adminAuth }, async () => ({ object: 'learning', ...deps.learningView?.() }));
  return app;
};
