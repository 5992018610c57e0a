import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Target } from '../spec/catalog.js';
import type { ChatChunk, ChatRequest, ChatResponse } from '../spec/chat.js';
import type { CallSignal, ProviderAdapter, ProviderCall } from '../spec/provider.js';
import type { Features } from '../spec/routing.js';
import { GatewayError, ProviderError, type ErrorCode } from '../errors/index.js';
import { onAbort } from '../spec/provider.js';
import type { AttemptRecord } from './attempt-types.js';
import { createBreakers } from './circuit-breaker.js';
import { createLiveStats } from './live-stats.js';
import { runFallbackChain, type ChainDeps } from './run-fallback-chain.js';

type Step = 'ok' | ErrorCode | { code: ErrorCode; retryAfterMs?: number } | 'hang' | 'cut-after-first';

const target = (id: string, contextWindow = 8192): Target => ({
  id,
  params: {},
  model: {
    id, provider: `p-${id}`, upstreamModel: id, contextWindow, maxOutputTokens: 1024,
    prices: { inputPerMtok: 1, outputPerMtok: 2, cachedInputPerMtok: 1, cacheWritePerMtok: 1, perRequest: 0 },
    capabilities: { tools: true, vision: true, jsonMode: true, streaming: true },
    latency: { ttftMs: 100, tokensPerSecond: 50 },
  },
});

const response = (model: string): ChatResponse => ({
  id: 'r', created: 0, model,
  choices: [{ index: 0, message: { role: 'assistant', content: `hello from ${model}` }, finishReason: 'stop' }],
  usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
});

const chunk = (content: string, finish: ChatChunk['choices'][number]['finishReason'] = null): ChatChunk => ({
  id: 'c', created: 0, model: 'm', choices: [{ index: 0, delta: { content }, finishReason: finish }],
});

const waitAbort = (signal: CallSignal): Promise<never> =>
  new Promise((_, reject) => onAbort(signal, () => reject(new Error('aborted'))));

/** A scripted adapter: each call to a model consumes the next step of its script. */
const scripted = (scripts: Record<string, Step[]>): ProviderAdapter & { calls: string[] } => {
  const calls: string[] = [];
  const next = (call: ProviderCall): Step => {
    calls.push(call.upstreamModel);
    return scripts[call.upstreamModel]?.shift() ?? 'ok';
  };
  const fail = (step: Step, call: ProviderCall): Promise<never> => {
    if (step === 'hang') return waitAbort(call.signal);
    const s = typeof step === 'string' ? { code: step as ErrorCode } : step;
    return Promise.reject(new ProviderError(s.code, `scripted ${s.code}`, { provider: 'fake', retryAfterMs: 'retryAfterMs' in s ? s.retryAfterMs : undefined }));
  };
  return {
    kind: 'fake',
    calls,
    async chat(call) {
      const step = next(call);
      return step === 'ok' ? response(call.upstreamModel) : fail(step, call);
    },
    async chatStream(call) {
      const step = next(call);
      if (step !== 'ok' && step !== 'cut-after-first') return fail(step, call);
      return (async function* () {
        yield { ...chunk(''), choices: [{ index: 0, delta: { role: 'assistant' as const }, finishReason: null }] };
        yield chunk('Hel');
        if (step === 'cut-after-first') throw new ProviderError('upstream_stream_cut', 'cut', { provider: 'fake' });
        yield chunk('lo', 'stop');
      })();
    },
  };
};

const features = { inputTokens: 10 } as Features;
const request = (stream = false): ChatRequest => ({ model: 'route', messages: [{ role: 'user', content: 'hi' }], stream, includeUsage: false });

const deps = (adapter: ProviderAdapter, over: Partial<ChainDeps> = {}): ChainDeps => ({
  adapterFor: () => adapter,
  breakers: createBreakers({ failureThreshold: 3, cooldownMs: 1000 }),
  stats: createLiveStats(),
  retry: { maxAttemptsPerTarget: 2, backoffBaseMs: 1, backoffMaxMs: 2, maxRetryAfterMs: 50 },
  timeouts: { ttftTimeoutMs: 1000, attemptTimeoutMs: 1000, stallTimeoutMs: 1000 },
  maxTargets: 4,
  now: () => performance.now(),
  random: () => 0.5,
  countTokens: (t) => Math.ceil(t.length / 4),
  ...over,
});

const run = (adapter: ProviderAdapter, targets: Target[], opts: { stream?: boolean; over?: Partial<ChainDeps>; signal?: AbortSignal } = {}) => {
  const records: AttemptRecord[] = [];
  const promise = runFallbackChain(deps(adapter, opts.over), {
    request: request(opts.stream), features, targets, signal: opts.signal ?? new AbortController().signal, onAttempt: (r) => records.push(r),
  });
  return { promise, records };
};

test('retries a 5xx on the same target, then succeeds', async () => {
  const a = scripted({ A: ['upstream_error'] });
  const { promise, records } = run(a, [target('A'), target('B')]);
  const r = await promise;
  assert.equal(r.target.id, 'A');
  assert.deepEqual(a.calls, ['A', 'A']);
  assert.deepEqual(records.map((x) => [x.target.id, x.outcome, x.errorCode]), [['A', 'error', 'upstream_error'], ['A', 'ok', null]]);
});

test('falls back to the next target when retries are exhausted', async () => {
  const a = scripted({ A: ['upstream_error', 'upstream_timeout'] });
  const r = await run(a, [target('A'), target('B')]).promise;
  assert.equal(r.target.id, 'B');
  assert.deepEqual(a.calls, ['A', 'A', 'B']);
});

test('a long Retry-After is not waited for: next target at once', async () => {
  const a = scripted({ A: [{ code: 'upstream_rate_limited', retryAfterMs: 60_000 }] });
  const r = await run(a, [target('A'), target('B')]).promise;
  assert.equal(r.target.id, 'B');
  assert.deepEqual(a.calls, ['A', 'B']);
});

test('a short Retry-After is honoured on the same target', async () => {
  const a = scripted({ A: [{ code: 'upstream_rate_limited', retryAfterMs: 5 }] });
  const r = await run(a, [target('A'), target('B')]).promise;
  assert.equal(r.target.id, 'A');
});

test('client errors from upstream neither retry nor fall back', async () => {
  const a = scripted({ A: ['upstream_bad_request'] });
  await assert.rejects(run(a, [target('A'), target('B')]).promise, (e: GatewayError) => e.code === 'upstream_bad_request');
  assert.deepEqual(a.calls, ['A']);
});

test('context overflow skips targets whose window is not larger', async () => {
  const a = scripted({ A: ['context_length_exceeded'] });
  const r = await run(a, [target('A', 4096), target('B', 4096), target('C', 32_000)]).promise;
  assert.equal(r.target.id, 'C');
  assert.deepEqual(a.calls, ['A', 'C']);
});

test('an attempt that never answers times out and falls back', async () => {
  const a = scripted({ A: ['hang', 'hang'] });
  const over = { timeouts: { ttftTimeoutMs: 20, attemptTimeoutMs: 20, stallTimeoutMs: 20 } };
  const { promise, records } = run(a, [target('A'), target('B')], { over });
  const r = await promise;
  assert.equal(r.target.id, 'B');
  assert.equal(records[0]?.errorCode, 'upstream_timeout');
});

test('all targets failing gives the last error, with every attempt recorded', async () => {
  const a = scripted({ A: ['upstream_error', 'upstream_error'], B: ['upstream_overloaded', 'upstream_overloaded'] });
  const { promise, records } = run(a, [target('A'), target('B')]);
  await assert.rejects(promise, (e: GatewayError) => e.code === 'upstream_overloaded' && /all targets failed/.test(e.message));
  assert.equal(records.length, 4);
});

test('an open breaker skips its target; consecutive failures open it', async () => {
  const breakers = createBreakers({ failureThreshold: 2, cooldownMs: 10_000 });
  const a = scripted({ A: ['upstream_error', 'upstream_error'] });
  await run(a, [target('A'), target('B')], { over: { breakers } }).promise;
  assert.equal(breakers.state('A'), 'open');
  const b = scripted({});
  const r = await run(b, [target('A'), target('B')], { over: { breakers } }).promise;
  assert.equal(r.target.id, 'B');
  assert.deepEqual(b.calls, ['B']);
});

test('client disconnect stops the chain without fallback', async () => {
  const a = scripted({ A: ['hang'] });
  const client = new AbortController();
  const { promise } = run(a, [target('A'), target('B')], { signal: client.signal });
  setTimeout(() => client.abort(new GatewayError('client_closed', 'gone')), 5);
  await assert.rejects(promise, (e: GatewayError) => e.code === 'client_closed');
  assert.deepEqual(a.calls, ['A']);
});

test('stream: failure before the first byte falls back', async () => {
  const a = scripted({ A: ['upstream_error', 'upstream_error'] });
  const r = await run(a, [target('A'), target('B')], { stream: true }).promise;
  assert.equal(r.kind, 'stream');
  assert.equal(r.target.id, 'B');
});

test('stream: a cut after the first byte is thrown to the caller, not hidden', async () => {
  const a = scripted({ A: ['cut-after-first'] });
  const { promise, records } = run(a, [target('A'), target('B')], { stream: true });
  const r = await promise;
  assert.equal(r.kind, 'stream');
  const seen: string[] = [];
  await assert.rejects(
    (async () => {
      if (r.kind !== 'stream') return;
      for await (const c of r.chunks) seen.push(c.choices[0]?.delta.content ?? '');
    })(),
    (e: ProviderError) => e.code === 'upstream_stream_cut',
  );
  assert.ok(seen.includes('Hel'));
  assert.equal(records.at(-1)?.outcome, 'error');
  // Billed from what was streamed even though the upstream never sent usage.
  assert.ok((records.at(-1)?.usage?.outputTokens ?? 0) > 0);
});

test('cascade escalates when the check fails and bills both attempts', async () => {
  const a = scripted({});
  const records: AttemptRecord[] = [];
  const r = await runFallbackChain(deps(a), {
    request: request(), features, targets: [target('cheap'), target('big')], signal: new AbortController().signal,
    onAttempt: (x) => records.push(x), cascade: { shouldEscalate: (res) => res.model === 'cheap' },
  });
  assert.equal(r.target.id, 'big');
  assert.deepEqual(records.map((x) => x.outcome), ['ok', 'ok']);
});

const verdict = (accept: boolean) => ({ verdict: accept ? ('agree' as const) : ('disagree' as const), accept });

const panelRun = (a: ProviderAdapter, accept: (rs: readonly ChatResponse[]) => boolean, signal: AbortSignal = new AbortController().signal) => {
  const records: AttemptRecord[] = [];
  const seen: string[][] = [];
  const promise = runFallbackChain(deps(a), {
    request: request(), features, targets: [target('m1'), target('m2'), target('big')], signal, onAttempt: (x) => records.push(x),
    cascade: { shouldEscalate: () => false, panel: { size: 2, judge: (rs) => (seen.push(rs.map((r) => r.model)), verdict(accept(rs))) } },
  });
  return { promise, records, seen };
};

test('panel: members answer together; when they agree the first answer stands and nothing escalates', async () => {
  const a = scripted({});
  const { promise, records, seen } = panelRun(a, () => true);
  const r = await promise;
  assert.equal(r.target.id, 'm1');
  assert.equal(r.attempts, 2);
  assert.deepEqual(a.calls, ['m1', 'm2']);
  assert.deepEqual(seen, [['m1', 'm2']]);
  assert.deepEqual(records.map((x) => x.attempt).sort(), [1, 2]);
});

test('panel: disagreement escalates to the next target; every answer is billed under its own attempt number', async () => {
  const a = scripted({});
  const { promise, records } = panelRun(a, () => false);
  const r = await promise;
  assert.equal(r.target.id, 'big');
  assert.equal(r.attempts, 3);
  assert.deepEqual(records.map((x) => x.attempt).sort(), [1, 2, 3]);
  assert.deepEqual(records.map((x) => x.outcome), ['ok', 'ok', 'ok']);
});

test('panel: a failed member leaves fewer answers; when the escalation fails too the first answer stands', async () => {
  const a = scripted({ m2: ['upstream_error', 'upstream_error'], big: ['upstream_error', 'upstream_error'] });
  const { promise, records, seen } = panelRun(a, (rs) => rs.length === 2);
  const r = await promise;
  assert.deepEqual(seen, [['m1']]);
  assert.equal(r.target.id, 'm1');
  // One attempt per member (no retry holds the panel), then big's two.
  assert.deepEqual(records.map((x) => [x.target.id, x.outcome]).sort(), [['big', 'error'], ['big', 'error'], ['m1', 'ok'], ['m2', 'error']]);
  assert.deepEqual(records.map((x) => x.attempt).sort((x, y) => x - y), [1, 2, 3, 4]);
});

test('panel: maxTargets bounds the chain after the panel, not the panel; a member cooling down leaves no panel', async () => {
  const a = scripted({});
  const records: AttemptRecord[] = [];
  const r = await runFallbackChain(deps(a, { maxTargets: 1 }), {
    request: request(), features, targets: [target('m1'), target('m2'), target('big')], signal: new AbortController().signal, onAttempt: (x) => records.push(x),
    cascade: { shouldEscalate: () => false, panel: { size: 2, judge: () => verdict(false) } },
  });
  assert.equal(r.target.id, 'big');
  assert.deepEqual(a.calls.sort(), ['big', 'm1', 'm2']);
  const b = scripted({});
  const d = deps(b);
  for (let i = 0; i < 3; i++) d.breakers.onFailure('m2', d.now());
  const alone = await runFallbackChain(d, {
    request: request(), features, targets: [target('m1'), target('m2'), target('big')], signal: new AbortController().signal, onAttempt: () => {},
    cascade: { shouldEscalate: () => false, panel: { size: 2, judge: () => verdict(true) } },
  });
  assert.equal(alone.target.id, 'm1');
  assert.deepEqual(b.calls, ['m1'], 'the chain as without a panel: m1 answers alone');
});

test('panel: when the deadline passes during the escalation, the first answer stands', async () => {
  const a = scripted({ big: ['hang'] });
  const deadline = new AbortController();
  const { promise } = panelRun(a, () => false, deadline.signal);
  setTimeout(() => deadline.abort(new GatewayError('deadline_exceeded', 'too late')), 20);
  const r = await promise;
  assert.equal(r.target.id, 'm1');
});

test('panel: every member and the escalation failing is the last error; a disconnect ends the panel', async () => {
  const failing = scripted({ m1: ['upstream_error', 'upstream_error'], m2: ['upstream_error', 'upstream_error'], big: ['invalid_request'] });
  await assert.rejects(panelRun(failing, () => true).promise, (e: GatewayError) => e.code === 'invalid_request');
  const hanging = scripted({ m1: ['hang'], m2: ['hang'] });
  const client = new AbortController();
  const { promise } = panelRun(hanging, () => true, client.signal);
  setTimeout(() => client.abort(new GatewayError('client_closed', 'gone')), 5);
  await assert.rejects(promise, (e: GatewayError) => e.code === 'client_closed');
  assert.deepEqual(hanging.calls, ['m1', 'm2']);
});

const collect = async (chunks: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> => {
  const out: ChatChunk[] = [];
  for await (const c of chunks) out.push(c);
  return out;
};

test('panel on a streaming request: members answer whole; an accepted answer is streamed as one, with its usage', async () => {
  const a = scripted({});
  const records: AttemptRecord[] = [];
  const r = await runFallbackChain(deps(a), {
    request: request(true), features, targets: [target('m1'), target('m2'), target('big')], signal: new AbortController().signal, onAttempt: (x) => records.push(x),
    cascade: { shouldEscalate: () => true, panel: { size: 2, judge: () => verdict(true) } },
  });
  assert.equal(r.kind, 'stream');
  assert.equal(r.target.id, 'm1');
  const chunks = r.kind === 'stream' ? await collect(r.chunks) : [];
  // `hello from m1` is the scripted whole answer (a scripted stream says `Hello`): the member answered whole.
  assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), 'hello from m1');
  assert.deepEqual(chunks.map((c) => c.choices[0]?.finishReason ?? null).filter(Boolean), ['stop']);
  assert.equal(chunks.at(-1)?.usage?.outputTokens, 5);
  assert.deepEqual(a.calls, ['m1', 'm2']);
  assert.equal(records.length, 2);
});

test('panel on a streaming request: disagreement streams from the next target', async () => {
  const a = scripted({});
  const r = await runFallbackChain(deps(a), {
    request: request(true), features, targets: [target('m1'), target('m2'), target('big')], signal: new AbortController().signal, onAttempt: () => {},
    cascade: { shouldEscalate: () => true, panel: { size: 2, judge: () => verdict(false) } },
  });
  assert.equal(r.target.id, 'big');
  const chunks = r.kind === 'stream' ? await collect(r.chunks) : [];
  assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), 'Hello');
});
