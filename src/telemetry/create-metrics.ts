import { Counter, Gauge, Registry } from 'prom-client';
import type { BreakerState } from '../spec/state.js';
import { createFastCounter, createFastHistogram } from './fast-counter.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const TTFT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

export const BREAKER_STATE_VALUE: Readonly<Record<BreakerState, number>> = { closed: 0, 'half-open': 1, open: 2 };

/** What the ledger gauges read at scrape time (the ledger writer fits). */
export interface LedgerGaugeSource {
  readonly pending: number;
  readonly dropped?: number;
  /** Nice value of the SQLite writer thread (undefined: none, e.g. Postgres). */
  readonly writerNice?: number;
  /** Whether that thread runs under SCHED_IDLE (undefined: no such thread). */
  readonly writerIdle?: boolean;
}

interface ScrapeHooks {
  ledgerPending(): void;
  ledgerDropped(): void;
  ledgerWriterNice(): void;
  ledgerWriterIdle(): void;
}

const build = (registry: Registry, hooks: ScrapeHooks) => ({
  requests: createFastCounter({
    registry, name: 'switchyard_requests_total', help: 'Client requests by route, served model, HTTP status and streaming',
    labelNames: ['route', 'model', 'status', 'stream'] as const,
  }),
  attempts: createFastCounter({
    registry, name: 'switchyard_attempts_total', help: 'Upstream attempts by target, provider, outcome and error code',
    labelNames: ['target', 'provider', 'outcome', 'error_code'] as const,
  }),
  requestDuration: createFastHistogram({
    registry, name: 'switchyard_request_duration_seconds', help: 'Request latency through the gateway, all attempts included',
    labelNames: ['route', 'model'] as const, buckets: LATENCY_BUCKETS,
  }),
  ttft: createFastHistogram({
    registry, name: 'switchyard_ttft_seconds', help: 'Time to first token of streamed answers, by target',
    labelNames: ['target'] as const, buckets: TTFT_BUCKETS,
  }),
  tokens: createFastCounter({
    registry, name: 'switchyard_tokens_total',
    help: 'Tokens by target and kind (input counts all prompt tokens, cached is the part read from cache; output includes reasoning)',
    labelNames: ['target', 'kind'] as const,
  }),
  costUsd: createFastCounter({
    registry, name: 'switchyard_cost_usd_total', help: 'Upstream cost in USD (summed in integer micro-USD, converted at scrape)',
    labelNames: [] as const, scale: 1e-6,
  }),
  // The only metric with a tenant label: tenants can be many, so it stays on one low-volume series family.
  costMicroUsd: createFastCounter({
    registry, name: 'switchyard_cost_micro_usd_total', help: 'Upstream cost in micro-USD by tenant and model',
    labelNames: ['tenant', 'model'] as const,
  }),
  // Every error answer, including those refused before routing (bad body, unknown model, auth),
  // which never reach switchyard_requests_total: a dashboard's client-error rate reads this one.
  errors: createFastCounter({
    registry, name: 'switchyard_error_responses_total', help: 'Error answers by HTTP status and error code, refused before routing included',
    labelNames: ['status', 'code'] as const,
  }),
  fallbacks: createFastCounter({
    registry, name: 'switchyard_fallbacks_total', help: 'Moves to another target within one request, by route',
    labelNames: ['route'] as const,
  }),
  panels: createFastCounter({
    registry, name: 'switchyard_panel_verdicts_total',
    help: "Cascade panels by route: verdict agree, disagree or incomparable; accepted whether the first member's answer stood",
    labelNames: ['route', 'verdict', 'accepted'] as const,
  }),
  breakerState: new Gauge({
    name: 'switchyard_breaker_state', help: 'Circuit breaker per target: 0 closed, 1 half-open, 2 open',
    labelNames: ['target'] as const, registers: [registry],
  }),
  ledgerPending: new Gauge({
    name: 'switchyard_ledger_pending', help: 'Ledger rows buffered, not yet persisted', registers: [registry], collect: () => hooks.ledgerPending(),
  }),
  ledgerWriterNice: new Gauge({
    name: 'switchyard_ledger_writer_nice',
    help: 'Nice value of the SQLite ledger thread: ledger.writerNice while it keeps up, the process\'s own when it fell behind (no series with Postgres)',
    labelNames: ['driver'] as const, registers: [registry], collect: () => hooks.ledgerWriterNice(),
  }),
  ledgerWriterIdle: new Gauge({
    name: 'switchyard_ledger_writer_idle',
    help: 'SQLite ledger thread under SCHED_IDLE (1) while it keeps up with ledger.writerIdle, or not (0) (no series with Postgres)',
    labelNames: ['driver'] as const, registers: [registry], collect: () => hooks.ledgerWriterIdle(),
  }),
  driftDivergence: new Gauge({
    name: 'switchyard_drift_divergence', help: 'Drift of the traffic against its reference window: KL in nats per feature group, relative latency change, z of error-rate and reward shifts',
    labelNames: ['measure'] as const, registers: [registry],
  }),
  driftEvents: new Counter({
    name: 'switchyard_drift_events_total', help: 'Drift alarms raised, by kind and group',
    labelNames: ['kind', 'group'] as const, registers: [registry],
  }),
  stateBackendUp: new Gauge({
    name: 'switchyard_state_backend_up', help: 'Shared state backend (Redis) reachable: 1, or 0 while serving on local state; always 1 in memory mode',
    registers: [registry],
  }),
  stateFallbacks: new Counter({
    name: 'switchyard_state_fallbacks_total', help: 'Requests whose limits and budgets were checked on local state (fail-open) or refused (fail-closed) because Redis was unreachable',
    registers: [registry],
  }),
  configMismatch: new Counter({
    name: 'switchyard_config_mismatch_total', help: 'Times another replica announced a config hash different from this one',
    registers: [registry],
  }),
  ledgerDropped: new Counter({
    name: 'switchyard_ledger_dropped_total', help: 'Ledger rows dropped (store down beyond the buffer limit, invalid, or after close)',
    registers: [registry], collect: () => hooks.ledgerDropped(),
  }),
});

export type Metrics = ReturnType<typeof build> & {
  /** A registry of our own: tests and embedders never collide on prom-client's global one. */
  readonly registry: Registry;
  setBreakerState(target: string, state: BreakerState): void;
  setLedgerPending(rows: number): void;
  /** Takes the writer's running total; the counter advances by the difference. */
  setLedgerDropped(total: number): void;
  /** Reads pending/dropped from the source at every scrape (instead of calling the setters). */
  trackLedger(source: LedgerGaugeSource): void;
};

/** Every metric the gateway exports, on a fresh registry, with hot-path handles. */
export const createMetrics = (): Metrics => {
  const registry = new Registry();
  let droppedSeen = 0;
  let ledger: LedgerGaugeSource | undefined;
  // Pull model for the ledger: its numbers are read when Prometheus scrapes, not on every write.
  const handles = build(registry, {
    ledgerPending: () => {
      if (ledger) handles.ledgerPending.set(ledger.pending);
    },
    ledgerDropped: () => {
      if (ledger?.dropped !== undefined) setLedgerDropped(ledger.dropped);
    },
    ledgerWriterNice: () => {
      if (ledger?.writerNice !== undefined) handles.ledgerWriterNice.set({ driver: 'sqlite' }, ledger.writerNice);
    },
    ledgerWriterIdle: () => {
      if (ledger?.writerIdle !== undefined) handles.ledgerWriterIdle.set({ driver: 'sqlite' }, ledger.writerIdle ? 1 : 0);
    },
  });
  const setLedgerDropped = (total: number): void => {
    if (total > droppedSeen) handles.ledgerDropped.inc(total - droppedSeen);
    droppedSeen = Math.max(droppedSeen, total);
  };
  return {
    ...handles,
    registry,
    setBreakerState: (target, state) => handles.breakerState.set({ target }, BREAKER_STATE_VALUE[state]),
    setLedgerPending: (rows) => handles.ledgerPending.set(rows),
    setLedgerDropped,
    trackLedger: (source) => {
      ledger = source;
    },
  };
};
