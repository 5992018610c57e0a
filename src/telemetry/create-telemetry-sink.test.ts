import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestEndEvent } from '../spec/events.js';
import type { Features } from '../spec/routing.js';
import type { LedgerRow } from '../spec/ledger.js';
import { createLogger } from './create-logger.js';
import { createMetrics } from './create-metrics.js';
import { createTelemetrySink } from './create-telemetry-sink.js';

const row = (o: Partial<LedgerRow> = {}): LedgerRow => ({
  requestId: 'req-1', decisionId: 'dec-1', attempt: 1, ts: 0, tenant: 'acme', apiKeyId: 'key-1', tags: { product: 'search' },
  route: 'smart', target: 'gpt-4o', model: 'gpt-4o', provider: 'openai', inputTokens: 1000, outputTokens: 100,
  cachedInputTokens: 800, cacheWriteTokens: 0, reasoningTokens: 40, costMicroUsd: 2500, latencyMs: 300, ttftMs: null,
  outcome: 'ok', errorCode: null, stream: false, policy: 'envelope', policyVersion: '3', configHash: 'h', ...o,
});

const requestEnd = (o: Partial<RequestEndEvent> = {}): RequestEndEvent => ({
  type: 'request-end', requestId: 'req-1', decisionId: 'dec-1', tenant: 'acme', route: 'smart', target: 'gpt-4o', model: 'gpt-4o',
  status: 200, errorCode: null, stream: true, attempts: 2, fallbacks: 1, latencyMs: 1234.4, ttftMs: 210,
  usage: { inputTokens: 1000, outputTokens: 100, cachedInputTokens: 800, cacheWriteTokens: 0, reasoningTokens: 40 },
  costMicroUsd: 2500,
  decision: { policy: 'envelope', policyVersion: '3', reason: 'cheapest-meeting-floor', propensity: 0.9, considered: [{ targetId: 'gpt-4o', pQuality: 0.8 }] },
  features: { inputTokens: 1000, taskType: 'qa' } as Features,
  ...o,
});

const setup = (level = 'info') => {
  let out = '';
  const logger = createLogger({ level, destination: { write: (s: string) => { out += s; } } });
  const metrics = createMetrics();
  const sink = createTelemetrySink(metrics, logger);
  return { metrics, sink, lines: () => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
};

test('attempt-end rows feed attempts, tokens and cost; failed attempts are counted by error code', async () => {
  const { metrics, sink } = setup();
  sink({ type: 'attempt-start', requestId: 'req-1', attempt: 1, target: 'gpt-4o', provider: 'openai' });
  sink({ type: 'attempt-end', row: row({ attempt: 1, target: 'claude', provider: 'anthropic', outcome: 'error', errorCode: 'upstream_timeout', inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0, costMicroUsd: 0 }) });
  sink({ type: 'attempt-end', row: row({ attempt: 2 }) });
  const text = await metrics.registry.metrics();
  assert.match(text, /switchyard_attempts_total\{target="claude",provider="anthropic",outcome="error",error_code="upstream_timeout"\} 1/);
  assert.match(text, /switchyard_attempts_total\{target="gpt-4o",provider="openai",outcome="ok",error_code="none"\} 1/);
  assert.match(text, /switchyard_tokens_total\{target="gpt-4o",kind="input"\} 1000/);
  assert.match(text, /switchyard_tokens_total\{target="gpt-4o",kind="cached"\} 800/);
  assert.match(text, /switchyard_tokens_total\{target="gpt-4o",kind="reasoning"\} 40/);
  assert.match(text, /switchyard_cost_micro_usd_total\{tenant="acme",model="gpt-4o"\} 2500/);
  assert.match(text, /switchyard_cost_usd_total 0.0025/);
});

test('tenant is a label on the micro-USD cost counter only (bounded cardinality)', async () => {
  const { metrics, sink } = setup();
  sink({ type: 'attempt-end', row: row() });
  sink(requestEnd());
  const withTenant = (await metrics.registry.metrics()).split('\n').filter((l) => l.includes('tenant='));
  assert.ok(withTenant.length > 0);
  assert.ok(withTenant.every((l) => l.startsWith('switchyard_cost_micro_usd_total')), withTenant.join('\n'));
});

test('request-end feeds requests, duration, ttft and fallbacks', async () => {
  const { metrics, sink } = setup();
  sink(requestEnd());
  sink(requestEnd({ requestId: 'req-2', status: 502, errorCode: 'all_targets_failed', target: null, model: null, stream: false, ttftMs: null, usage: null, fallbacks: 2 }));
  const text = await metrics.registry.metrics();
  assert.match(text, /switchyard_requests_total\{route="smart",model="gpt-4o",status="200",stream="true"\} 1/);
  assert.match(text, /switchyard_requests_total\{route="smart",model="none",status="502",stream="false"\} 1/);
  assert.match(text, /switchyard_request_duration_seconds_count\{route="smart",model="gpt-4o"\} 1/);
  assert.match(text, /switchyard_request_duration_seconds_sum\{route="smart",model="gpt-4o"\} 1.2344/);
  assert.match(text, /switchyard_ttft_seconds_count\{target="gpt-4o"\} 1/);
  assert.match(text, /switchyard_fallbacks_total\{route="smart"\} 3/);
});

test('exactly one structured log line per request, with the decision and usage, never bodies', () => {
  const { sink, lines } = setup();
  sink({ type: 'attempt-end', row: row() });
  sink(requestEnd());
  const logged = lines();
  assert.equal(logged.length, 1);
  const [line] = logged;
  assert.ok(line);
  assert.equal(line['msg'], 'request');
  for (const [k, v] of Object.entries({
    requestId: 'req-1', decisionId: 'dec-1', tenant: 'acme', route: 'smart', target: 'gpt-4o', model: 'gpt-4o', status: 200,
    errorCode: null, attempts: 2, fallbacks: 1, latencyMs: 1234, ttftMs: 210, inputTokens: 1000, outputTokens: 100,
    cachedInputTokens: 800, reasoningTokens: 40, costMicroUsd: 2500, policy: 'envelope', reason: 'cheapest-meeting-floor',
  })) assert.deepEqual(line[k], v, k);
  assert.equal(line['considered'], undefined, 'the candidate list stays in the ledger/decision store, not in every log line');
});

test('server failures log at warn; a silenced logger builds nothing and still counts', async () => {
  const { sink, lines } = setup('warn');
  sink(requestEnd());
  sink(requestEnd({ requestId: 'bad', status: 503, errorCode: 'circuit_open', target: null, model: null, usage: null }));
  const logged = lines();
  assert.deepEqual(logged.map((l) => [l['requestId'], l['level']]), [['bad', 40]]);
});
