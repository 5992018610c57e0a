import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/config-schema.js';
import type { GatewayRoute } from '../gateway/handle-chat.js';
import type { EventSink } from '../spec/events.js';
import type { LearningStore } from '../spec/learning.js';
import type { PolicyLearner } from '../spec/routing.js';
import type { Metrics } from '../telemetry/create-metrics.js';
import { afterResponse } from '../learning/defer-batched.js';
import { createDriftSink } from '../learning/create-drift-sink.js';
import { createDriftMonitor } from '../learning/drift-monitor.js';
import { createDriftPolicyUpdate } from '../learning/drift-policy-update.js';
import { retrainRoutes } from '../learning/drift-retrain.js';
import { createLearningLoop, type FeedbackListener } from '../learning/create-learning-loop.js';
import { createPolicyVersions } from '../learning/policy-versions.js';
import { createSubmitFeedback } from '../learning/submit-feedback.js';
import { createFailureMemory, failureMemoryListener, withFailureMemory } from '../learning/failure-memory.js';
import { createImplicitSignalsSink } from '../learning/implicit-signals.js';

export interface StartLearningDeps {
  config: Config;
  store: LearningStore;
  /** Routes by name; routes with several targets get the failure memory wrapped around their policy. */
  routes: Map<string, GatewayRoute>;
  logger: Logger;
  metrics: Metrics;
  now(): number;
  /** Statistics shared through Redis: learners re-read them periodically to see other replicas' evidence. */
  sharedAcrossReplicas: boolean;
  /** More reactions to decisions and feedback (the quality estimator's per-segment confidence). */
  listeners?: readonly FeedbackListener[];
  /** λ of a tenant (the same function the routes' learning policies use). */
  lambdaFor(tenant: string): number;
  /** Learners that are not routes' policies (the quality estimator), versioned beside them. */
  extraLearners?: ReadonlyMap<string, PolicyLearner>;
}

const DRIFT_WINDOW = 500;
const REFRESH_MS = 2_000;

/**
 * The learning side of the composition root: decision log + feedback (the loop), policy versions,
 * drift → policy update, and the event sinks that feed them.
 */
export const startLearning = async (deps: StartLearningDeps) => {
  const { config: c, logger, metrics } = deps;
  // Routes' learning policies (decisions, drift, retrain) and, for versioning only, the other learners.
  const learners = new Map<string, PolicyLearner>();
  for (const [name, route] of deps.routes) if (route.policy.learner) learners.set(name, route.policy.learner);
  const versioned = new Map(learners);
  for (const [key, learner] of deps.extraLearners ?? []) {
    if (versioned.has(key)) throw new Error(`learner '${key}' is also a route name`);
    versioned.set(key, learner);
  }
  const onError = (err: unknown, what: string): void => logger.error({ err }, what);
  const versions = createPolicyVersions({
    store: deps.store, learners: versioned, now: deps.now, newId: () => randomUUID().slice(0, 13), snapshotEvery: c.learning.snapshotEvery, onError,
    onWarning: (err, what) => logger.warn({ err }, what),
  });
  await versions.init();
  const fm = c.learning.failureMemory;
  const { lambdaFor } = deps;
  const memory = fm.enabled ? createFailureMemory(fm) : undefined;
  if (memory) {
    for (const [name, route] of deps.routes) {
      if (route.targets.length + route.fallbacks.length > 1) deps.routes.set(name, { ...route, policy: withFailureMemory(route.policy, memory, { lambdaFor, priorWeight: fm.priorWeight }) });
    }
  }
  const loop = createLearningLoop({
    config: c.learning,
    store: deps.store,
    learnerFor: (route) => learners.get(route),
    listeners: [{ onFeedback: (p) => versions.updated(p.record.route) }, ...(memory ? [failureMemoryListener(memory, deps.now)] : []), ...(deps.listeners ?? [])],
    now: deps.now,
    writer: { maxBatch: c.ledger.maxBatch, flushIntervalMs: c.ledger.flushIntervalMs },
    onError,
  });
  const monitor = createDriftMonitor({ windowSize: DRIFT_WINDOW });
  const driftUpdate = createDriftPolicyUpdate({
    learners, status: () => monitor.status(), rebaseline: () => monitor.rebaseline(),
    windowSize: DRIFT_WINDOW, persistWindows: c.learning.retrainAfterDriftWindows, now: deps.now,
    onRetrain: (event, routes, since) => {
      logger.warn({ drift: event, routes }, 'drift persisted: retraining the learning policies on the evidence logged since it began');
      retrainRoutes({ config: c.learning, store: deps.store, learners, versions, flush: () => loop.flush() }, routes, since).then(
        (done) => logger.info({ retrained: done }, 'drift retrain done (a learned router artefact still needs `switchyard train` on fresh data)'),
        (err: unknown) => onError(err, 'drift retrain failed'),
      );
    },
  });
  const driftSink = createDriftSink({
    monitor,
    onDrift: (event) => {
      metrics.driftEvents.inc({ kind: event.kind, group: event.group });
      logger.warn({ drift: event }, 'traffic drift detected');
      driftUpdate.onDrift(event);
    },
    publish: (d) => {
      for (const [measure, value] of Object.entries(d)) metrics.driftDivergence.set({ measure }, value);
      driftUpdate.tick();
    },
  });
  const refresh = deps.sharedAcrossReplicas && learners.size > 0
    ? setInterval(() => { for (const l of learners.values()) l.refresh?.(); }, REFRESH_MS)
    : undefined;
  refresh?.unref();
  const implicit = createImplicitSignalsSink({ recordFeedback: loop.recordFeedback, now: deps.now, retryWindowMs: c.learning.retryWindowMs, retryMinGapMs: c.learning.retryMinGapMs });
  // The decision log and drift only read request-end: they run once the answer is written.
  const sinks: EventSink[] = [afterResponse([loop.sink, driftSink], (err) => onError(err, 'learning sink failed')), implicit];
  return {
    loop,
    versions,
    sinks,
    submitFeedback: createSubmitFeedback(loop, c.learning.feedbackWindowMs, deps.now),
    async close(): Promise<void> {
      if (refresh) clearInterval(refresh);
      await loop.close();
      // After the loop's last writes: what they taught is in the final snapshots (the store closes after this).
      await versions.flushUpdates();
    },
  };
};
export type RunningLearning = Awaited<ReturnType<typeof startLearning>>;
