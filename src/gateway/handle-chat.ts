import type { ModelPrices, Target } from '../spec/catalog.js';
import type { ChatChunk, ChatRequest, ChatResponse, Usage } from '../spec/chat.js';
import type { EventSink, RequestEndEvent } from '../spec/events.js';
import type { LedgerRow } from '../spec/ledger.js';
import type { Features, RequestContext, RoutingPlan, RoutingPolicy } from '../spec/routing.js';
import { GatewayError } from '../errors/index.js';
import type { AbortScope } from './abort-scope.js';
import type { AttemptRecord } from './attempt-types.js';
import { chainCallsOf, type AdmissionInput, type Reservation } from './admission.js';
import { filterCandidates } from './filter-candidates.js';
import { createStreamAnswer } from './stream-answer.js';
import { runFallbackChain, type ChainDeps } from './run-fallback-chain.js';

/** A route as the gateway needs it: its targets, fallbacks and policy. */
export interface GatewayRoute {
  name: string;
  targets: readonly Target[];
  fallbacks: readonly Target[];
  policy: RoutingPolicy;
}

export interface HandleChatDeps {
  resolveRoute(model: string): GatewayRoute | undefined;
  chain: ChainDeps;
  extractFeatures(request: ChatRequest): Features;
  costOf(usage: Usage, prices: ModelPrices): number;
  emit: EventSink;
  newId(): string;
  totalTimeoutMs: number;
  configHash: string;
  /** Rate limits and budgets (src/gateway/admission.ts); null when nothing applies to this request. */
  admit?(input: AdmissionInput): Reservation | Promise<Reservation> | null;
}

export interface CallContext extends RequestContext {
  requestId: string;
  apiKeyId: string;
  /**
   * The request's abort scope: the http layer aborts it when the client disconnects and
   * handle-chat when the total deadline passes (an AbortScope, not an AbortController: see there).
   */
  controller: AbortScope;
}

interface Common {
  requestId: string;
  decisionId: string;
  route: string;
  target: Target;
  plan: RoutingPlan;
}
export type ChatOutcome =
  | (Common & { kind: 'response'; response: ChatResponse; costMicroUsd: number })
  | (Common & { kind: 'stream'; chunks: AsyncIterable<ChatChunk> });

const withFallbacks = (plan: RoutingPlan, route: GatewayRoute, allowed: readonly Target[]): Target[] => {
  const out = [...plan.targets];
  for (const t of route.fallbacks) if (!out.includes(t) && allowed.includes(t)) out.push(t);
  return out;
};

/** Targets the admission skipped (at their rate limit) are noted in the decision and dropped. */
const afterAdmission = (targets: Target[], reservation: Reservation | null, plan: RoutingPlan): Target[] => {
  if (!reservation || reservation.start === 0) return targets;
  for (const t of targets.slice(0, reservation.start)) plan.decision.considered.push({ targetId: t.id, excluded: 'rate-limited' });
  return targets.slice(reservation.start);
};

/** Distinct targets among the attempts (one, nearly always: no Set for that). */
const distinctCount = (records: readonly AttemptRecord[]): number => (records.length <= 1 ? records.length : new Set(records.map((r) => r.target)).size);

/** A route's targets, then its fallbacks that are not targets too: the same list for every request. */
const allTargets = new WeakMap<GatewayRoute, readonly Target[]>();
const allTargetsOf = (route: GatewayRoute): readonly Target[] => {
  let all = allTargets.get(route);
  if (!all) allTargets.set(route, (all = [...route.targets, ...route.fallbacks.filter((f) => !route.targets.includes(f))]));
  return all;
};

/** One chat request: route → features → candidates → plan → fallback chain → events. */
export const createHandleChat = (deps: HandleChatDeps) => async (request: ChatRequest, ctx: CallContext): Promise<ChatOutcome> => {
  const route = deps.resolveRoute(request.model);
  if (!route) throw new GatewayError('model_not_found', `the model or route '${request.model}' does not exist`, { param: 'model' });
  const started = deps.chain.now();
  const features = deps.extractFeatures(request);
  const all = allTargetsOf(route);
  const { candidates, excluded } = filterCandidates(all, request, features, deps.chain.breakers, started);
  // Nothing filtered out (the common case): the candidates are all of them, the route's targets first.
  const primary = candidates.length === all.length ? route.targets : candidates.filter((c) => route.targets.includes(c));
  const plan = route.policy.plan({
    request, features, candidates: primary.length > 0 ? primary : candidates, context: ctx,
    stats: deps.chain.stats, random: deps.chain.random, now: started,
  });
  if (excluded.length > 0) plan.decision.considered.push(...excluded);
  const decisionId = deps.newId();

  const timer = setTimeout(() => ctx.controller.abort(new GatewayError('deadline_exceeded', `request exceeded its total deadline of ${deps.totalTimeoutMs} ms`)), deps.totalTimeoutMs);
  timer.unref();

  let cost = 0;
  let tokens = 0;
  let reservation: Reservation | null = null;
  let attempts = 0;
  let last: AttemptRecord | undefined;
  const onAttempt = (rec: AttemptRecord): void => {
    attempts = Math.max(attempts, rec.attempt);
    last = rec;
    const row = toLedgerRow(rec, { ctx, decisionId, route: route.name, plan, request, configHash: deps.configHash, costOf: deps.costOf });
    cost += row.costMicroUsd;
    tokens += row.inputTokens + row.outputTokens;
    deps.emit({ type: 'attempt-end', row });
  };
  const finish = (status: number, errorCode: string | null, target: Target | null, response?: ChatResponse): void => {
    clearTimeout(timer);
    reservation?.settle(tokens, cost, attemptRecords);
    // The answer's own attempt: the last one, unless a panel member ended after the one that answers.
    const answering = !target || last?.target === target ? last : attemptRecords.findLast((r) => r.target === target) ?? last;
    deps.emit({
      type: 'request-end', requestId: ctx.requestId, decisionId, tenant: ctx.tenant, route: route.name,
      target: target?.id ?? null, model: target?.model.id ?? null, status, errorCode, stream: request.stream,
      attempts, fallbacks: Math.max(0, distinctCount(attemptRecords) - firstTargets), latencyMs: deps.chain.now() - started,
      ttftMs: answering?.ttftMs ?? null, usage: answering?.usage ?? null, costMicroUsd: cost, decision: plan.decision, features,
      chosen: plan.targets[0]?.id ?? null, tier: ctx.tier, request, response, panel,
    });
  };
  const attemptRecords: AttemptRecord[] = [];
  // Targets asked before any fallback: one, or a cascade's panel (its members are not fallbacks).
  let firstTargets = 1;
  let panel: RequestEndEvent['panel'];
  const trackingAttempt = (rec: AttemptRecord): void => {
    attemptRecords.push(rec);
    onAttempt(rec);
  };

  try {
    const chain = withFallbacks(plan, route, candidates);
    const admitted = deps.admit?.({ ctx, features, targets: chain, calls: chainCallsOf(plan.cascade, chain.length, deps.chain.maxTargets) }) ?? null;
    // Memory state answers synchronously: no await (and no extra tick) unless Redis is asked.
    reservation = admitted instanceof Promise ? await admitted : admitted;
    const targets = afterAdmission(chain, reservation, plan);
    // A panel is its plan's first targets: when one of them is at its model's rate limit, there is none.
    const cascade = reservation !== null && !reservation.panel && plan.cascade?.panel ? { shouldEscalate: plan.cascade.shouldEscalate, escalates: plan.cascade.escalates } : plan.cascade;
    if (cascade?.panel && targets.length > cascade.panel.size) firstTargets = cascade.panel.size;
    const result = await runFallbackChain(deps.chain, {
      request, features, targets, signal: ctx.controller, onAttempt: trackingAttempt, cascade,
      // A closure only for routes whose plan has a panel.
      onPanel: cascade?.panel ? (judged) => void (panel = judged) : undefined,
    });
    // Each outcome is built whole (no spread of a shared part): this runs once per request.
    if (result.kind === 'response') {
      finish(200, null, result.target, result.response);
      return { kind: 'response', requestId: ctx.requestId, decisionId, route: route.name, target: result.target, plan, response: result.response, costMicroUsd: cost };
    }
    const chunks = finishAfter(result.chunks, (err, answer) => finish(err ? 502 : 200, err?.code ?? null, result.target, err ? undefined : answer));
    return { kind: 'stream', requestId: ctx.requestId, decisionId, route: route.name, target: result.target, plan, chunks };
  } catch (err) {
    const code = err instanceof GatewayError ? err.code : 'internal_error';
    finish(err instanceof GatewayError ? err.status : 500, code, null);
    throw err;
  }
};

/** Relays the chunks, assembling the answer for the learning sinks, and reports the end (once). */
async function* finishAfter(chunks: AsyncIterable<ChatChunk>, done: (err: GatewayError | { code: string } | null, answer: ChatResponse | undefined) => void): AsyncGenerator<ChatChunk> {
  let error: { code: string } | null = null;
  const answer = createStreamAnswer();
  try {
    for await (const chunk of chunks) {
      answer.add(chunk);
      yield chunk;
    }
  } catch (err) {
    error = { code: (err as { code?: string }).code ?? 'internal_error' };
    throw err;
  } finally {
    done(error, answer.response());
  }
}

interface RowContext {
  ctx: CallContext;
  decisionId: string;
  route: string;
  plan: RoutingPlan;
  request: ChatRequest;
  configHash: string;
  costOf: HandleChatDeps['costOf'];
}

const toLedgerRow = (rec: AttemptRecord, r: RowContext): LedgerRow => {
  const u = rec.usage;
  return {
    requestId: r.ctx.requestId, decisionId: r.decisionId, attempt: rec.attempt, ts: rec.startedAt,
    tenant: r.ctx.tenant, apiKeyId: r.ctx.apiKeyId, tags: r.ctx.tags, route: r.route,
    target: rec.target.id, model: rec.target.model.id, provider: rec.target.model.provider,
    inputTokens: u?.inputTokens ?? 0, outputTokens: u?.outputTokens ?? 0, cachedInputTokens: u?.cachedInputTokens ?? 0,
    cacheWriteTokens: u?.cacheWriteTokens ?? 0, reasoningTokens: u?.reasoningTokens ?? 0,
    costMicroUsd: u ? r.costOf(u, rec.target.model.prices) : 0,
    latencyMs: Math.round(rec.latencyMs), ttftMs: rec.ttftMs === null ? null : Math.round(rec.ttftMs),
    outcome: rec.outcome, errorCode: rec.errorCode, stream: r.request.stream,
    policy: r.plan.decision.policy, policyVersion: r.plan.decision.policyVersion, configHash: r.configHash,
  };
};
