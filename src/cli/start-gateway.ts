import { timeOrderedId } from '../ledger/time-ordered-id.js';
import { countTokens } from 'gpt-tokenizer';
import type { ProviderAdapter } from '../spec/provider.js';
import type { StateStore } from '../spec/state.js';
import type { ResolvedConfig } from '../config/resolve-config.js';
import { createHandleChat } from '../gateway/handle-chat.js';
import { createBreakers } from '../gateway/circuit-breaker.js';
import { createLiveStats } from '../gateway/live-stats.js';
import { createApp } from '../http/create-app.js';
import { computeCostMicroUsd } from '../ledger/compute-cost.js';
import { createLedgerWriter } from '../ledger/create-ledger-writer.js';
import { parseSpendQuery } from '../ledger/spend-query.js';
import { extractFeatures } from '../routing/extract-features.js';
import { createLogger } from '../telemetry/create-logger.js';
import { createMetrics } from '../telemetry/create-metrics.js';
import { createTelemetrySink } from '../telemetry/create-telemetry-sink.js';
import type { LearningLoop } from '../learning/create-learning-loop.js';
import type { PolicyVersions } from '../learning/policy-versions.js';
import { loadAnswerScorers } from './load-answer-scorers.js';
import { emitToAll } from './emit-to-all.js';
import { checkLearningExtras, startLearningExtras, type LearningExtras } from './start-learning-extras.js';
import { buildRoutes } from './build-routes.js';
import { createLateBoundStats } from './late-bound-stats.js';
import { startLearning } from './start-learning.js';
import { createBudgetPacing, registerLambdaGauge, tenantLambda, type BudgetPacing } from '../learning/budget-pacing.js';
import { openLedgerStore } from './open-ledger-store.js';
import { openStateStore } from './open-state-store.js';
import { seedBudgetsFromLedger, seedJudgeBudget } from './seed-budgets.js';
import { createAdmission } from '../gateway/admission.js';
import { createTargetStatsSink } from '../state/create-target-stats-sink.js';
import { startProviders } from './start-providers.js';

export interface StartOptions {
  config: ResolvedConfig;
  host?: string;
  port?: number;
  /** Log destination (tests pass a sink to keep output quiet or to inspect it). */
  logDestination?: NodeJS.WritableStream;
  logLevel?: string;
}

export interface RunningGateway {
  url: string;
  /** Stops accepting, drains in-flight requests (up to the grace period), flushes the ledger. */
  close(): Promise<void>;
  flushLedger(): Promise<void>;
  adapters: ReadonlyMap<string, ProviderAdapter>;
  simulators: Awaited<ReturnType<typeof startProviders>>['simulators'];
  ledger: Awaited<ReturnType<typeof openLedgerStore>>;
  /** Decision log, feedback and online updates (flush() persists pending decisions and feedback). */
  learning: LearningLoop;
  /** Limits, budgets, breakers and statistics (memory, or Redis shared by every replica). */
  state: StateStore;
  policyVersions: PolicyVersions;
  /** The judge's worker and the estimator's segment tracker, when configured. */
  extras: LearningExtras;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** The composition root: builds every module from the config and starts listening. */
export const startGateway = async (options: StartOptions): Promise<RunningGateway> => {
  const { config: resolved } = options;
  const c = resolved.config;
  const host = options.host ?? c.server.host;
  const port = options.port ?? c.server.port;
  if (!resolved.authEnabled && !LOOPBACK.has(host)) {
    throw new Error(`no API keys are configured, so the gateway is open: refusing to listen on ${host}. Configure tenants[].keys and auth.adminKeys, or listen on 127.0.0.1.`);
  }
  const logger = createLogger({ level: options.logLevel ?? c.logging.level, destination: options.logDestination });
  const metrics = createMetrics();
  // Routes first: a bad policy or artefact fails start-up before anything is listening or open.
  checkLearningExtras(resolved);
  const { estimator, scorers } = await loadAnswerScorers(resolved);
  const sharedStats = createLateBoundStats();
  // λ per tenant, following its budget once the ledger is open (pacing is bound below).
  let pacing: BudgetPacing | undefined;
  const lambdaFor = tenantLambda(c.learning, (tenant) => pacing?.factor(tenant) ?? 1);
  const routes = await buildRoutes(resolved, sharedStats, scorers, lambdaFor);
  const { adapters, simulators } = await startProviders(resolved);
  const store = await openLedgerStore(c.ledger).catch(async (err: unknown) => {
    await Promise.all(simulators.map((s) => s.close()));
    throw err;
  });
  const writer = createLedgerWriter(store, {
    maxBatch: c.ledger.maxBatch,
    flushIntervalMs: c.ledger.flushIntervalMs,
    onError: (err, rows) => logger.error({ err, rows: rows.length }, 'ledger write failed; rows kept for retry'),
  });
  metrics.trackLedger({
    get pending() {
      return writer.pending;
    },
    get dropped() {
      return writer.dropped;
    },
    get writerNice() {
      return store.writerThreadNice;
    },
    get writerIdle() {
      return store.writerThreadIdle;
    },
  });
  const state = await openStateStore(c.state, resolved.hash, logger, metrics);
  sharedStats.bind(state.stats);
  // timeOrigin is read once: the getter costs as much as now() itself, and a request reads the clock a dozen times.
  const timeOrigin = performance.timeOrigin;
  const wallClock = (): number => timeOrigin + performance.now();
  // Request and decision ids: time-ordered, so the ledger's and decision log's indexes grow at one end.
  const newId = (): string => timeOrderedId();
  if (state.kind === 'memory' && resolved.limits.any) await seedBudgetsFromLedger(state, resolved.limits, store, wallClock());
  const paced = c.learning.budgetPacing.enabled && resolved.limits.budgets.tenants.size > 0;
  if (paced) {
    pacing = createBudgetPacing({ budgets: resolved.limits.budgets.tenants, spend: (q) => store.spend(q), now: wallClock, options: c.learning.budgetPacing });
    await pacing.refresh();
    registerLambdaGauge(metrics.registry, pacing, lambdaFor);
  }
  const pacingTimer = pacing ? setInterval(() => {
    pacing?.refresh().catch((err: unknown) => logger.error({ err }, 'budget pacing: reading the ledger failed; λ unchanged'));
  }, c.learning.budgetPacing.refreshMs) : undefined;
  pacingTimer?.unref();
  const extras = startLearningExtras({
    resolved, estimator, adapters, state, registry: metrics.registry, writeLedger: (row) => writer.write(row),
    recordFeedback: (record) => learning.loop.recordFeedback(record), now: wallClock, newId,
    onLearnerUpdate: (key) => learning.versions.updated(key), versionEstimator: state.kind === 'memory',
  });
  // Memory state starts empty: today's judge spend comes back from the ledger (Redis keeps its own).
  if (c.learning.judge.enabled && state.kind === 'memory') await seedJudgeBudget(state, store, wallClock());
  const learning = await startLearning({
    config: c, store: store.learning, routes, logger, metrics, now: wallClock, sharedAcrossReplicas: state.kind === 'redis', listeners: extras.listeners, lambdaFor,
    extraLearners: extras.learners,
  });
  const breakers = createBreakers(c.breaker, (id, s) => metrics.setBreakerState(id, s), { publish: (id, s) => state.publishBreaker(id, s) });
  state.onBreaker((id, s) => breakers.applyRemote(id, s));
  const stats = createLiveStats();
  const emit = emitToAll(
    [
      (e) => { if (e.type === 'attempt-end') writer.write(e.row); },
      ...learning.sinks,
      ...extras.sinks,
      createTargetStatsSink(state.stats),
      createTelemetrySink(metrics, logger),
    ],
    (err) => logger.error({ err }, 'event sink failed'),
  );
  const handleChat = createHandleChat({
    resolveRoute: (model) => routes.get(model),
    chain: {
      adapterFor: (t) => adapters.get(t.model.provider) as ProviderAdapter,
      breakers, stats,
      retry: c.execution,
      timeouts: c.execution,
      maxTargets: c.execution.maxTargets,
      now: wallClock,
      random: Math.random,
      countTokens: (text) => countTokens(text),
    },
    extractFeatures,
    costOf: computeCostMicroUsd,
    emit,
    newId,
    totalTimeoutMs: c.execution.totalTimeoutMs,
    configHash: resolved.hash,
    ...(resolved.limits.any ? { admit: createAdmission({ store: state, limits: resolved.limits, costOf: computeCostMicroUsd, now: wallClock }) } : {}),
  });
  let ready = false;
  const app = createApp({
    handleChat,
    maxMessages: c.server.maxMessages,
    auth: { enabled: resolved.authEnabled, keys: resolved.keys, adminKeyHashes: resolved.adminKeyHashes },
    bodyLimitBytes: c.server.bodyLimitBytes,
    newId,
    models: () => [...[...routes.keys()].map((id) => ({ id, ownedBy: 'switchyard' }))],
    metrics: async () => {
      return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
    },
    submitFeedback: learning.submitFeedback,
    policies: learning.versions,
    parseSpendQuery,
    spend: (q) => store.spend(q),
    sharedStats: state.stats,
    learningView: () => ({ estimator: extras.segments?.view() ?? null, judge: extras.judge?.counts() ?? null }),
    ready: () => ready,
    health: () => ({ ledgerPending: writer.pending, configHash: resolved.hash }),
    onError: (err, req) => {
      metrics.errors.cell(String(err.status), err.code).inc();
      if (err.status >= 500 && err.code === 'internal_error') logger.error({ err: err.cause ?? err, requestId: req.id }, 'internal error');
    },
  });
  try {
    await app.listen({ host, port });
  } catch (err) {
    // Port taken or address invalid: release what was opened so the process can exit cleanly.
    await Promise.allSettled([Promise.all([writer.close(), learning.close()]).then(() => store.close()), state.close(), ...simulators.map((s) => s.close())]);
    throw err;
  }
  const address = app.server.address();
  const url = typeof address === 'object' && address ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : `http://${host}:${port}`;
  ready = true;
  if (!resolved.authEnabled) logger.warn({ url }, 'no API keys configured: the gateway and its admin API are open, listening on loopback only');
  logger.info({ url, configHash: resolved.hash, routes: [...routes.keys()].length, providers: adapters.size }, 'switchyard listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      ready = false;
      if (pacingTimer) clearInterval(pacingTimer);
      const grace = setTimeout(() => app.server.closeAllConnections(), c.server.shutdownGraceMs);
      grace.unref();
      await app.close();
      clearTimeout(grace);
      // Judge calls in flight write their cost rows before the ledger closes (bounded: the judge is best effort).
      if (extras.judge) await Promise.race([extras.judge.drain(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      await Promise.all([writer.close(), learning.close()]);
      await store.close();
      await state.close();
      await Promise.all(simulators.map((s) => s.close()));
      logger.info('switchyard stopped; ledger flushed');
      logger.flush?.();
    })();
    return closing;
  };
  return { url, close, flushLedger: () => writer.flush(), adapters, simulators, ledger: store, learning: learning.loop, policyVersions: learning.versions, state, extras };
};
