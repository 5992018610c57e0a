import { EventEmitter } from 'node:events';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatChunk, ChatRequest } from '../spec/chat.js';
import type { ProviderSettings } from '../spec/provider.js';
import type { ErrorCode } from '../errors/error-codes.js';
import { ProviderError } from '../errors/provider-error.js';
import { createSimulator, type Simulator } from '../simulator/create-simulator.js';
import type { Faults } from '../simulator/simulator-options.js';
import type { HttpAdapter } from './create-http-adapter.js';

/** How to build the adapter under test against a base URL (the simulator's, plus /v1). */
export interface ConformanceTarget {
  kind: string;
  create(settings: ProviderSettings): HttpAdapter;
}

const MODEL = 'sim-model';
const TINY = 'sim-tiny';
const WEATHER_TOOL = {
  type: 'function' as const,
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] } },
};

const request = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: MODEL,
  messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'What is the capital of France?' }],
  stream: false,
  includeUsage: false,
  maxTokens: 200,
  ...over,
});

const live = (): AbortSignal => new AbortController().signal;

const collect = async (stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> => {
  const out: ChatChunk[] = [];
  for await (const c of stream) out.push(c);
  return out;
};

const isCode = (code: ErrorCode) => (err: unknown): boolean => {
  assert.ok(err instanceof ProviderError, `expected ProviderError ${code}, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  return true;
};

/** Resolves once the simulator has counted `calls` calls for `model` (no sleeping, no timing). */
const untilCalls = async (sim: Simulator, model: string, calls: number): Promise<void> => {
  while ((sim.stats()[model]?.calls ?? 0) < calls) await new Promise((r) => setImmediate(r));
};

const text = (chunks: ChatChunk[]): string => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

/**
 * The behaviour every adapter must have, checked against the provider simulator speaking the
 * adapter's protocol: answers, tool calls, streams with usage, and each failure mapped to its
 * ProviderError code, with abort passing through untouched.
 */
export const runAdapterConformance = (target: ConformanceTarget): void => {
  describe(`${target.kind} adapter conformance`, () => {
    let sim: Simulator;
    let adapter: HttpAdapter;
    let baseUrl: string;
    const fault = (faults: Faults): void => sim.setFaults(MODEL, faults);
    const calls = (): number => sim.stats()[MODEL]?.calls ?? 0;

    before(async () => {
      sim = createSimulator({
        models: [
          { id: MODEL, ttftMs: 0, tokensPerSecond: 1000, contextWindow: 8192 },
          { id: TINY, ttftMs: 0, tokensPerSecond: 1000, contextWindow: 20 },
        ],
        latencyScale: 0,
      });
      baseUrl = `${await sim.listen()}/v1`;
      adapter = target.create({ baseUrl, apiKey: 'test-key' });
    });
    after(async () => {
      await adapter.close();
      await sim.close();
    });

    test('non-stream text answer with usage', async () => {
      const res = await adapter.chat({ request: request(), upstreamModel: MODEL, signal: live() });
      const choice = res.choices[0];
      assert.equal(typeof choice?.message.content, 'string');
      assert.match(String(choice?.message.content), /capital of France/);
      assert.equal(choice?.finishReason, 'stop');
      assert.ok((res.usage?.inputTokens ?? 0) > 0 && (res.usage?.outputTokens ?? 0) > 0);
    });

    test('tool calls come back with JSON arguments', async () => {
      const res = await adapter.chat({ request: request({ tools: [WEATHER_TOOL], toolChoice: 'required' }), upstreamModel: MODEL, signal: live() });
      const call = res.choices[0]?.message.toolCalls?.[0];
      assert.equal(call?.function.name, 'get_weather');
      assert.deepEqual(JSON.parse(call?.function.arguments ?? ''), { city: 'example' });
      assert.equal(res.choices[0]?.finishReason, 'tool_calls');
    });

    test('a stream yields the same text and ends with a usage chunk', async () => {
      const whole = await adapter.chat({ request: request(), upstreamModel: MODEL, signal: live() });
      const chunks = await collect(await adapter.chatStream({ request: request({ stream: true }), upstreamModel: MODEL, signal: live() }));
      assert.equal(text(chunks), whole.choices[0]?.message.content);
      assert.equal(chunks.find((c) => c.choices[0]?.finishReason)?.choices[0]?.finishReason, 'stop');
      const last = chunks.at(-1);
      assert.deepEqual(last?.choices, []);
      assert.equal(last?.usage?.outputTokens, whole.usage?.outputTokens);
      assert.equal(last?.usage?.inputTokens, whole.usage?.inputTokens);
    });

    test('a streamed tool call assembles into valid arguments', async () => {
      const chunks = await collect(
        await adapter.chatStream({ request: request({ stream: true, tools: [WEATHER_TOOL], toolChoice: 'required' }), upstreamModel: MODEL, signal: live() }),
      );
      const deltas = chunks.flatMap((c) => c.choices[0]?.delta.toolCalls ?? []);
      assert.equal(deltas[0]?.function?.name, 'get_weather');
      assert.deepEqual(JSON.parse(deltas.map((d) => d.function?.arguments ?? '').join('')), { city: 'example' });
    });

    test('429 → upstream_rate_limited with retryAfterMs, for calls and streams', async () => {
      fault({ failNext: ['rate_limit', 'rate_limit'], retryAfterSeconds: 2 });
      await assert.rejects(adapter.chat({ request: request(), upstreamModel: MODEL, signal: live() }), (err: unknown) => {
        isCode('upstream_rate_limited')(err);
        assert.equal((err as ProviderError).retryAfterMs, 2000);
        assert.equal((err as ProviderError).upstreamStatus, 429);
        return true;
      });
      // Before the first byte, a stream error rejects chatStream itself (so the gateway can fall back).
      await assert.rejects(adapter.chatStream({ request: request({ stream: true }), upstreamModel: MODEL, signal: live() }), isCode('upstream_rate_limited'));
    });

    test('500 → upstream_error; overloaded → upstream_overloaded', async () => {
      fault({ failNext: ['server_error', 'overloaded'] });
      await assert.rejects(adapter.chat({ request: request(), upstreamModel: MODEL, signal: live() }), isCode('upstream_error'));
      await assert.rejects(adapter.chat({ request: request(), upstreamModel: MODEL, signal: live() }), isCode('upstream_overloaded'));
    });

    test('a prompt over the context window → context_length_exceeded', async () => {
      const long = request({ model: TINY, messages: [{ role: 'user', content: 'word '.repeat(100) }] });
      await assert.rejects(adapter.chat({ request: long, upstreamModel: TINY, signal: live() }), isCode('context_length_exceeded'));
    });

    test('an unknown model → upstream_bad_request', async () => {
      await assert.rejects(adapter.chat({ request: request(), upstreamModel: 'no-such-model', signal: live() }), isCode('upstream_bad_request'));
    });

    test('malformed JSON or a wrong content type → upstream_invalid_response', async () => {
      fault({ failNext: ['malformed', 'wrong_content_type', 'malformed'] });
      await assert.rejects(adapter.chat({ request: request(), upstreamModel: MODEL, signal: live() }), isCode('upstream_invalid_response'));
      await assert.rejects(adapter.chat({ request: request(), upstreamModel: MODEL, signal: live() }), isCode('upstream_invalid_response'));
      const stream = await adapter.chatStream({ request: request({ stream: true }), upstreamModel: MODEL, signal: live() });
      await assert.rejects(collect(stream), isCode('upstream_invalid_response'));
    });

    test('a stream cut mid-way → upstream_stream_cut from the iterator', async () => {
      fault({ failNext: ['cut'] });
      const stream = await adapter.chatStream({ request: request({ stream: true }), upstreamModel: MODEL, signal: live() });
      await assert.rejects(collect(stream), isCode('upstream_stream_cut'));
    });

    test('a cut non-stream body is a retryable upstream error', async () => {
      fault({ failNext: ['cut'] });
      await assert.rejects(adapter.chat({ request: request(), upstreamModel: MODEL, signal: live() }), (err: unknown) => {
        assert.ok(err instanceof ProviderError && err.retryable, String(err));
        return true;
      });
    });

    test('abort via signal stops a call that gets no answer, with the signal reason', async () => {
      fault({ failNext: ['timeout'] });
      const controller = new AbortController();
      const reason = new Error('deadline');
      const before = calls();
      const pending = adapter.chat({ request: request(), upstreamModel: MODEL, signal: controller.signal });
      await untilCalls(sim, MODEL, before + 1);
      controller.abort(reason);
      await assert.rejects(pending, (err: unknown) => err === reason);
    });

    test('abort answers at once a call still queued for a connection, and the next call is served', async () => {
      // One connection, held by a call that gets no answer: the second call waits in the pool's queue.
      const single = target.create({ baseUrl, apiKey: 'test-key', connections: 1 });
      try {
        fault({ failNext: ['timeout'] });
        const holder = new AbortController();
        const held = single.chat({ request: request(), upstreamModel: MODEL, signal: holder.signal });
        const queuedCtl = new AbortController();
        const before = calls();
        const queued = single.chat({ request: request(), upstreamModel: MODEL, signal: queuedCtl.signal });
        const reason = new Error('total deadline');
        queuedCtl.abort(reason);
        await assert.rejects(queued, (err: unknown) => err === reason);
        holder.abort(new Error('done'));
        await assert.rejects(held);
        assert.equal(calls(), before, 'the aborted call never reached the upstream');
        fault({});
        const res = await single.chat({ request: request(), upstreamModel: MODEL, signal: live() });
        assert.equal(res.choices.length, 1);
      } finally {
        await single.close();
      }
    });

    test('an abort scope (EventEmitter) aborts a call like an AbortSignal does', async () => {
      fault({ failNext: ['timeout'] });
      const scope = Object.assign(new EventEmitter(), { aborted: false, reason: undefined as unknown });
      const reason = new Error('client closed');
      const before = calls();
      const pending = adapter.chat({ request: request(), upstreamModel: MODEL, signal: scope });
      await untilCalls(sim, MODEL, before + 1);
      scope.aborted = true;
      scope.reason = reason;
      scope.emit('abort');
      await assert.rejects(pending, (err: unknown) => err === reason);
      assert.equal(scope.listenerCount('abort'), 0, 'the listener is detached');
    });

    test('abort mid-stream ends the iterator with the signal reason', async () => {
      fault({ failNext: ['stall'] });
      const controller = new AbortController();
      const reason = new Error('client left');
      const stream = await adapter.chatStream({ request: request({ stream: true }), upstreamModel: MODEL, signal: controller.signal });
      const it = stream[Symbol.asyncIterator]();
      const first = await it.next();
      assert.equal(first.done, false);
      controller.abort(reason);
      await assert.rejects(collect({ [Symbol.asyncIterator]: () => it }), (err: unknown) => err === reason);
    });

    test('a stalled stream fails with upstream_timeout after bodyTimeoutMs', async () => {
      const impatient = target.create({ baseUrl, apiKey: 'test-key', bodyTimeoutMs: 50 });
      try {
        fault({ failNext: ['stall'] });
        const stream = await impatient.chatStream({ request: request({ stream: true }), upstreamModel: MODEL, signal: live() });
        await assert.rejects(collect(stream), isCode('upstream_timeout'));
      } finally {
        await impatient.close();
      }
    });

    test('the connection is reused after a complete stream', async () => {
      fault({});
      for (let i = 0; i < 3; i++) await collect(await adapter.chatStream({ request: request({ stream: true }), upstreamModel: MODEL, signal: live() }));
      const res = await adapter.chat({ request: request(), upstreamModel: MODEL, signal: live() });
      assert.equal(res.choices.length, 1);
    });
  });
};
