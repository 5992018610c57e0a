import { test } from 'node:test';
import assert from 'node:assert/strict';
import { register as globalRegistry } from 'prom-client';
import { createMetrics } from './create-metrics.js';

const valueOf = async (metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string> = {}): Promise<number | undefined> => {
  const json = await metrics.registry.getMetricsAsJSON();
  const metric = json.find((m) => m.name === name);
  const match = metric?.values.find((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want) && (!('metricName' in v) || v.metricName === name));
  return match?.value;
};

test('metrics live on their own registry, never the global one', async () => {
  const a = createMetrics();
  const b = createMetrics();
  assert.notEqual(a.registry, globalRegistry);
  a.requests.cell('r', 'm', '200', 'false').inc();
  assert.equal(await valueOf(a, 'switchyard_requests_total', { route: 'r' }), 1);
  assert.equal(await valueOf(b, 'switchyard_requests_total', { route: 'r' }), undefined);
  assert.equal(globalRegistry.getSingleMetric('switchyard_requests_total'), undefined);
});

test('counter cells are cached per label tuple and exact at every scrape', async () => {
  const m = createMetrics();
  const cell = m.tokens.cell('gpt-4o', 'input');
  assert.equal(m.tokens.cell('gpt-4o', 'input'), cell);
  assert.notEqual(m.tokens.cell('gpt-4o', 'output'), cell);
  cell.inc(100);
  cell.inc(23);
  assert.equal(await valueOf(m, 'switchyard_tokens_total', { target: 'gpt-4o', kind: 'input' }), 123);
  cell.inc(7);
  assert.equal(await valueOf(m, 'switchyard_tokens_total', { target: 'gpt-4o', kind: 'input' }), 130);
  assert.equal(await valueOf(m, 'switchyard_tokens_total', { target: 'gpt-4o', kind: 'output' }), 0, 'a touched series is exported even at 0');
});

test('the USD cost counter sums integer micro-USD and converts once at scrape', async () => {
  const m = createMetrics();
  for (let i = 0; i < 10; i++) m.costUsd.cell().inc(100_000); // 10 × $0.1 — a float sum would give 0.9999999999999999
  assert.equal(await valueOf(m, 'switchyard_cost_usd_total'), 1);
});

test('breaker state gauge: 0 closed, 1 half-open, 2 open', async () => {
  const m = createMetrics();
  m.setBreakerState('a', 'open');
  m.setBreakerState('b', 'half-open');
  m.setBreakerState('c', 'closed');
  assert.equal(await valueOf(m, 'switchyard_breaker_state', { target: 'a' }), 2);
  assert.equal(await valueOf(m, 'switchyard_breaker_state', { target: 'b' }), 1);
  assert.equal(await valueOf(m, 'switchyard_breaker_state', { target: 'c' }), 0);
});

test('ledger gauges: setters, and a tracked writer read at scrape time', async () => {
  const m = createMetrics();
  m.setLedgerPending(5);
  m.setLedgerDropped(3);
  m.setLedgerDropped(3);
  assert.equal(await valueOf(m, 'switchyard_ledger_pending'), 5);
  assert.equal(await valueOf(m, 'switchyard_ledger_dropped_total'), 3);
  const writer = { pending: 42, dropped: 10 };
  m.trackLedger(writer);
  assert.equal(await valueOf(m, 'switchyard_ledger_pending'), 42);
  assert.equal(await valueOf(m, 'switchyard_ledger_dropped_total'), 10);
  writer.pending = 0;
  assert.equal(await valueOf(m, 'switchyard_ledger_pending'), 0);
  assert.doesNotMatch(await m.registry.metrics(), /^switchyard_ledger_writer_nice/m, 'no writer thread (Postgres): no series');
  const sqlite = { pending: 0, writerNice: 19 };
  m.trackLedger(sqlite);
  assert.equal(await valueOf(m, 'switchyard_ledger_writer_nice', { driver: 'sqlite' }), 19);
  sqlite.writerNice = 0;
  assert.equal(await valueOf(m, 'switchyard_ledger_writer_nice', { driver: 'sqlite' }), 0);
});

test('the text exposition has every documented metric', async () => {
  const text = await createMetrics().registry.metrics();
  for (const name of [
    'switchyard_requests_total', 'switchyard_attempts_total', 'switchyard_request_duration_seconds', 'switchyard_ttft_seconds',
    'switchyard_tokens_total', 'switchyard_cost_usd_total', 'switchyard_cost_micro_usd_total', 'switchyard_fallbacks_total',
    'switchyard_breaker_state', 'switchyard_ledger_pending', 'switchyard_ledger_dropped_total', 'switchyard_ledger_writer_nice',
    'switchyard_panel_verdicts_total',
  ]) assert.match(text, new RegExp(`# TYPE ${name} `), name);
});

test('cells sharing a label prefix are distinct series, and a tuple finds the same cell every time', async () => {
  const m = createMetrics();
  m.attempts.cell('t', 'p', 'ok', 'none').inc();
  m.attempts.cell('t', 'p', 'error', 'upstream_error').inc(2);
  m.attempts.cell('t', 'q', 'ok', 'none').inc(3);
  assert.equal(m.attempts.cell('t', 'p', 'ok', 'none'), m.attempts.cell('t', 'p', 'ok', 'none'));
  assert.equal(await valueOf(m, 'switchyard_attempts_total', { target: 't', provider: 'p', outcome: 'ok' }), 1);
  assert.equal(await valueOf(m, 'switchyard_attempts_total', { target: 't', provider: 'p', outcome: 'error' }), 2);
  assert.equal(await valueOf(m, 'switchyard_attempts_total', { target: 't', provider: 'q', outcome: 'ok' }), 3);
  m.requestDuration.cell('auto', 'a').observe(0.02);
  m.requestDuration.cell('auto', 'b').observe(0.2);
  const text = await m.registry.metrics();
  assert.match(text, /switchyard_request_duration_seconds_count\{route="auto",model="a"\} 1/);
  assert.match(text, /switchyard_request_duration_seconds_count\{route="auto",model="b"\} 1/);
});
