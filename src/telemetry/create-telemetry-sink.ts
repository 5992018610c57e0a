import type { Logger } from 'pino';
import type { EventSink, RequestEndEvent } from '../spec/events.js';
import type { LedgerRow } from '../spec/ledger.js';
import type { Metrics } from './create-metrics.js';

/** The logger surface the sink needs (a pino Logger fits). */
export type RequestLogger = Pick<Logger, 'info' | 'warn' | 'isLevelEnabled'>;

const NONE = 'none';

/**
 * Per-attempt numbers (attempts, tokens, cost) come from attempt-end rows, so failed attempts
 * that were still billed, and every step of a cascade, are counted exactly like the ledger counts
 * them; per-request numbers (status, latency, fallbacks) come from request-end.
 */
const recordAttempt = (m: Metrics, row: LedgerRow): void => {
  m.attempts.cell(row.target, row.provider, row.outcome, row.errorCode ?? NONE).inc();
  if (row.inputTokens > 0) m.tokens.cell(row.target, 'input').inc(row.inputTokens);
  if (row.outputTokens > 0) m.tokens.cell(row.target, 'output').inc(row.outputTokens);
  if (row.cachedInputTokens > 0) m.tokens.cell(row.target, 'cached').inc(row.cachedInputTokens);
  if (row.reasoningTokens > 0) m.tokens.cell(row.target, 'reasoning').inc(row.reasoningTokens);
  if (row.costMicroUsd > 0) {
    m.costUsd.cell().inc(row.costMicroUsd);
    m.costMicroUsd.cell(row.tenant, row.model).inc(row.costMicroUsd);
  }
};

const recordRequest = (m: Metrics, e: RequestEndEvent): void => {
  const model = e.model ?? NONE;
  m.requests.cell(e.route, model, String(e.status), e.stream ? 'true' : 'false').inc();
  m.requestDuration.cell(e.route, model).observe(e.latencyMs / 1000);
  if (e.ttftMs !== null && e.target !== null) m.ttft.cell(e.target).observe(e.ttftMs / 1000);
  if (e.fallbacks > 0) m.fallbacks.cell(e.route).inc(e.fallbacks);
  if (e.panel) m.panels.cell(e.route, e.panel.verdict, e.panel.accept ? 'true' : 'false').inc();
};

/** The one line per request: identifiers, outcome, timing, usage, cost and the decision. Never bodies. */
export const requestLogFields = (e: RequestEndEvent): Record<string, unknown> => ({
  requestId: e.requestId,
  decisionId: e.decisionId,
  tenant: e.tenant,
  route: e.route,
  target: e.target,
  model: e.model,
  status: e.status,
  errorCode: e.errorCode,
  stream: e.stream,
  attempts: e.attempts,
  fallbacks: e.fallbacks,
  latencyMs: Math.round(e.latencyMs),
  ttftMs: e.ttftMs === null ? null : Math.round(e.ttftMs),
  inputTokens: e.usage?.inputTokens ?? 0,
  outputTokens: e.usage?.outputTokens ?? 0,
  cachedInputTokens: e.usage?.cachedInputTokens ?? 0,
  cacheWriteTokens: e.usage?.cacheWriteTokens ?? 0,
  reasoningTokens: e.usage?.reasoningTokens ?? 0,
  costMicroUsd: e.costMicroUsd,
  policy: e.decision.policy,
  policyVersion: e.decision.policyVersion,
  reason: e.decision.reason,
  propensity: e.decision.propensity,
  ...(e.panel ? { panel: e.panel.verdict, panelAccepted: e.panel.accept } : {}),
});

/** Updates metrics on attempt-end and request-end and logs one JSON line per finished request. */
export const createTelemetrySink = (metrics: Metrics, logger: RequestLogger): EventSink => (event) => {
  switch (event.type) {
    case 'attempt-end':
      recordAttempt(metrics, event.row);
      return;
    case 'request-end': {
      recordRequest(metrics, event);
      // Server-side failures are warnings; client errors (4xx) are ordinary traffic.
      const level = event.status >= 500 ? 'warn' : 'info';
      // Skip building the object at all when the level is off.
      if (logger.isLevelEnabled(level)) logger[level](requestLogFields(event), 'request');
      return;
    }
    case 'attempt-start':
      return;
  }
};
