import type { Target } from '../spec/catalog.js';
import type { ChatChunk, ChatRequest, ChatResponse, Usage } from '../spec/chat.js';
import type { CallSignal, ProviderAdapter } from '../spec/provider.js';
import type { Features, PanelJudgement, RoutingPlan } from '../spec/routing.js';
import { GatewayError, ProviderError } from '../errors/index.js';
import { createAttemptController, sleep } from './abortable.js';
import type { AttemptRecord, ChainResult } from './attempt-types.js';
import type { Breakers } from './circuit-breaker.js';
import type { LiveStats } from './live-stats.js';
import { chunkHasOutput, normalizeError, relayStream } from './relay-stream.js';
import { retryDelay, type RetryOptions } from './retry-delay.js';
import { requestForTarget } from './request-for-target.js';
import { responseAsChunks } from './response-as-chunks.js';

export interface ChainDeps {
  adapterFor(target: Target): ProviderAdapter;
  breakers: Breakers;
  stats: LiveStats;
  retry: RetryOptions;
  timeouts: { ttftTimeoutMs: number; attemptTimeoutMs: number; stallTimeoutMs: number };
  maxTargets: number;
  now: () => number;
  random: () => number;
  countTokens: (text: string) => number;
}

export interface ChainInput {
  request: ChatRequest;
  features: Features;
  targets: readonly Target[];
  /** Client disconnect and the total deadline. */
  signal: CallSignal;
  onAttempt: (record: AttemptRecord) => void;
  cascade?: RoutingPlan['cascade'];
  /** A cascade's panel ran: what its answers showed and whether the first stood. */
  onPanel?: (judged: PanelJudgement) => void;
}

/** Errors that say something about the target's health (and so move its breaker). */
const countsAgainstTarget = (e: ProviderError): boolean => e.retryable || e.code === 'upstream_auth_error';

const estimateUsage = (inputTokens: number, outputTokens: number): Usage => ({
  inputTokens, outputTokens, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0,
});

const responseText = (r: ChatResponse): string =>
  r.choices.map((c) => (typeof c.message.content === 'string' ? c.message.content : '') + (c.message.toolCalls?.map((t) => t.function.arguments).join('') ?? '')).join('');

/**
 * Tries the plan's targets in order: retries retryable errors on the same target (backoff, jitter,
 * Retry-After), moves to the next target on fallbackable ones, stops on client errors, client
 * disconnect and the total deadline. Streams commit at the first chunk that carries output; before
 * that, any failure still falls back.
 */
export const runFallbackChain = async (deps: ChainDeps, input: ChainInput): Promise<ChainResult> => {
  const { request, signal } = input;
  let attempt = 0;
  let lastError: ProviderError | undefined;
  let minContextWindow = 0;
  let cascaded: Answered | undefined;
  let targets = input.targets;
  let panelError: unknown;
  const panel = input.cascade?.panel;
  const members = panel && targets.length > panel.size ? targets.slice(0, panel.size) : [];
  // A member cooling down after failures (or whose half-open probe is taken) leaves no panel.
  if (panel && members.length > 0 && members.every((m) => deps.breakers.allow(m.id, deps.now()))) {
    const asked = await askPanel(deps, input, members, () => ++attempt);
    const first = asked.answered[0];
    const judged = panel.judge(asked.answered.map((a) => a.response));
    input.onPanel?.(judged);
    if (first && judged.accept) return answeredBy(first, request, attempt);
    // Escalate; the first answer stands if every later target fails, or the deadline passes.
    cascaded = first;
    panelError = asked.error;
    targets = targets.slice(panel.size);
  }
  // maxTargets bounds the chain after the panel: its members are asked together, not one after another.
  targets = targets.slice(0, deps.maxTargets);

  for (const [index, target] of targets.entries()) {
    if (target.model.contextWindow <= minContextWindow) continue;
    if (targets.length > 1 && !deps.breakers.allow(target.id, deps.now())) continue;
    const adapter = deps.adapterFor(target);
    for (let onTarget = 1; ; onTarget++) {
      attempt += 1;
      const startedAt = deps.now();
      const ctl = createAttemptController(signal);
      const call = { request: requestForTarget(request, target), upstreamModel: target.model.upstreamModel, signal: ctl.signal };
      const provider = target.model.provider;
      let ttftMs: number | null = null;
      try {
        if (request.stream) {
          ctl.arm(deps.timeouts.ttftTimeoutMs, () => new ProviderError('upstream_timeout', `no first token within ${deps.timeouts.ttftTimeoutMs} ms`, { provider }));
          const iterator = (await adapter.chatStream(call))[Symbol.asyncIterator]();
          const buffered: ChatChunk[] = [];
          let done = false;
          for (;;) {
            const r = await iterator.next();
            if (r.done) { done = true; break; }
            buffered.push(r.value);
            if (chunkHasOutput(r.value)) break;
          }
          ttftMs = deps.now() - startedAt;
          const attemptNo = attempt;
          const chunks = relayStream(buffered, done ? null : iterator, ctl, { ms: deps.timeouts.stallTimeoutMs, provider }, deps.now, (end) => {
            const usage = end.usage ?? (end.text === '' && end.outcome !== 'ok' ? null : estimateUsage(input.features.inputTokens, deps.countTokens(end.text)));
            const latencyMs = end.endedAt - startedAt;
            deps.stats.record(target.id, { ok: end.outcome === 'ok', latencyMs, ttftMs, outputTokens: usage?.outputTokens ?? 0 });
            if (end.outcome === 'ok') deps.breakers.onSuccess(target.id);
            else if (end.outcome === 'error') deps.breakers.onFailure(target.id, end.endedAt);
            input.onAttempt({ attempt: attemptNo, target, startedAt, latencyMs, ttftMs, usage, outcome: end.outcome, errorCode: end.errorCode });
          });
          return { kind: 'stream', target, attempts: attempt, chunks };
        }
        ctl.arm(deps.timeouts.attemptTimeoutMs, () => new ProviderError('upstream_timeout', `no response within ${deps.timeouts.attemptTimeoutMs} ms`, { provider }));
        const response = await adapter.chat(call);
        ctl.release();
        const latencyMs = deps.now() - startedAt;
        response.usage ??= estimateUsage(input.features.inputTokens, deps.countTokens(responseText(response)));
        deps.stats.record(target.id, { ok: true, latencyMs, ttftMs: null, outputTokens: response.usage.outputTokens });
        deps.breakers.onSuccess(target.id);
        input.onAttempt({ attempt, target, startedAt, latencyMs, ttftMs: null, usage: response.usage, outcome: 'ok', errorCode: null });
        const next = targets[index + 1];
        if (input.cascade && next && input.cascade.shouldEscalate(response, input.features)) {
          // Cascade: the cheap answer failed the quality check; keep it in case escalation fails.
          cascaded = { response, target };
          break;
        }
        return { kind: 'response', response, target, attempts: attempt };
      } catch (err) {
        ctl.abort(err);
        ctl.release();
        const e = normalizeError(err, ctl.signal, provider);
        const latencyMs = deps.now() - startedAt;
        const aborted = e instanceof GatewayError;
        input.onAttempt({ attempt, target, startedAt, latencyMs, ttftMs, usage: null, outcome: aborted ? 'aborted' : 'error', errorCode: e.code });
        if (aborted) {
          if (cascaded && e.code === 'deadline_exceeded') return answeredBy(cascaded, request, attempt);
          throw e;
        }
        deps.stats.record(target.id, { ok: false, latencyMs, ttftMs, outputTokens: 0 });
        if (countsAgainstTarget(e)) deps.breakers.onFailure(target.id, deps.now());
        lastError = e;
        if (!e.fallbackable) {
          if (cascaded) return answeredBy(cascaded, request, attempt);
          throw new GatewayError(e.code, e.message, { status: e.upstreamStatus && e.upstreamStatus < 500 ? e.upstreamStatus : undefined, cause: e });
        }
        const delay = retryDelay(e, onTarget, deps.retry, deps.random);
        if (delay !== null) {
          await sleep(delay, signal);
          continue;
        }
        if (e.code === 'context_length_exceeded') minContextWindow = target.model.contextWindow;
        break;
      }
    }
  }
  if (cascaded) return answeredBy(cascaded, request, attempt);
  if (!lastError && panelError) throw panelError;
  if (!lastError) throw new GatewayError('circuit_open', 'every target of this route is cooling down after failures');
  throw new GatewayError(lastError.code, `all targets failed (${attempt} attempt${attempt === 1 ? '' : 's'}); last error: ${lastError.message}`, {
    retryAfterMs: lastError.retryAfterMs,
    cause: lastError,
  });
};

interface Answered {
  response: ChatResponse;
  target: Target;
}

/** A whole answer as the chain's result: as it is, or as a stream when the client asked for one (a panel's members answer whole). */
const answeredBy = (a: Answered, request: ChatRequest, attempts: number): ChainResult =>
  request.stream ? { kind: 'stream', target: a.target, attempts, chunks: responseAsChunks(a.response) } : { kind: 'response', response: a.response, target: a.target, attempts };

/**
 * A cascade's panel: each member answers at the same time, as a chain of its own (one attempt, no
 * fallback; non-streaming), attempts numbered in the order they end. Returns the answers in member
 * order and the first failure; a client disconnect or the total deadline ends it with that error.
 */
const askPanel = async (deps: ChainDeps, input: ChainInput, members: readonly Target[], nextAttempt: () => number): Promise<{ answered: Answered[]; error: unknown }> => {
  const onAttempt = (rec: AttemptRecord): void => input.onAttempt({ ...rec, attempt: nextAttempt() });
  // Members answer whole, also for a streaming request: their answers are compared before anything is sent.
  const request = input.request.stream ? { ...input.request, stream: false, includeUsage: false } : input.request;
  // One attempt each: a retry would hold the whole panel (and the request) for another attempt timeout.
  const once = { ...deps, retry: { ...deps.retry, maxAttemptsPerTarget: 1 } };
  const settled = await Promise.allSettled(members.map((target) => runFallbackChain(once, { ...input, request, targets: [target], cascade: undefined, onAttempt })));
  if (input.signal.aborted) throw input.signal.reason;
  const answered: Answered[] = [];
  let error: unknown;
  for (const s of settled) {
    if (s.status === 'rejected') error ??= s.reason;
    else if (s.value.kind === 'response') answered.push({ response: s.value.response, target: s.value.target });
  }
  return { answered, error };
};
