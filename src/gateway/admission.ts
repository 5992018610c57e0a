import type { ModelPrices, Target } from '../spec/catalog.js';
import type { Usage } from '../spec/chat.js';
import type { Features, RequestContext, RoutingPlan } from '../spec/routing.js';
import type { Admission, AdmissionChecks, BucketCheck, BudgetCheck, BudgetRule, LimitTable, RateLimit, StateStore } from '../spec/state.js';
import { GatewayError } from '../errors/index.js';
import type { AttemptRecord } from './attempt-types.js';
import { createPeriodClock } from './budget-period.js';

const MINUTE_MS = 60_000;
/** Budget keys outlive their period by a day: late commits of requests that straddle midnight still land. */
export const BUDGET_MARGIN_MS = 86_400_000;

/** Where a budget's spend for one period lives in the state store. */
export const budgetKey = (rule: BudgetRule, periodLabel: string): string => `budget:${rule.scope}:${rule.id}:${periodLabel}`;

export interface AdmissionInput {
  ctx: RequestContext & { apiKeyId: string };
  features: Features;
  /** The chain's targets in order (plan, then fallbacks). */
  targets: readonly Target[];
  /** How the chain may call them; absent: one target answers, no panel. */
  calls?: ChainCalls;
}

/**
 * How a chain may call its targets (src/gateway/run-fallback-chain.ts): the first `panel` targets
 * answer together (0: no panel), then at most `maxTargets` more, one at a time; when `escalating`
 * (a cascade that scores answers) each of those may answer and be billed, else only one does.
 */
export interface ChainCalls {
  panel: number;
  escalating: boolean;
  maxTargets: number;
}

/** A plan's calls, as the fallback chain will make them on `targetCount` targets. */
export const chainCallsOf = (cascade: RoutingPlan['cascade'], targetCount: number, maxTargets: number): ChainCalls => ({
  panel: cascade?.panel && targetCount > cascade.panel.size ? cascade.panel.size : 0,
  escalating: cascade !== undefined && cascade.escalates !== false,
  maxTargets,
});

const ONE_ANSWER: ChainCalls = { panel: 0, escalating: false, maxTargets: Number.POSITIVE_INFINITY };

/** What a request holds once admitted: where the chain starts, and how to settle with the real usage. */
export interface Reservation {
  /** Index in `targets` of the first target under its limits (0 when targets are not limited). */
  start: number;
  /** Whether the panel may run: every member had room under its model's limits (true when there is no panel). */
  panel: boolean;
  /**
   * Gives back unused tokens and commits the real cost (or refunds the reservation on failure):
   * `tokens` in all; a model's own TPM limit is settled with the tokens of its `attempts`.
   */
  settle(tokens: number, costMicroUsd: number, attempts?: readonly AttemptRecord[]): void;
}

export interface AdmissionDeps {
  store: StateStore;
  limits: LimitTable;
  costOf(usage: Usage, prices: ModelPrices): number;
  /** Wall-clock ms (budget periods, memory buckets). */
  now(): number;
}

/** Limit names are part of the message so a client knows which limit it hit. */
interface Labelled {
  check: BucketCheck;
  label: string;
  /** A model's own limit: settled with that model's tokens. */
  model?: string;
}

/**
 * A key's or tenant's limits for one request: `requests` (a panel's members count one each) and
 * the `tokens` they may use over `calls` upstream calls (named in a refusal).
 */
const bucketsOf = (out: Labelled[], id: string, limit: RateLimit | undefined, use: { requests: number; tokens: number; calls: number }, label: string, model?: string): void => {
  if (!limit) return;
  if (limit.rpm !== undefined) out.push({ check: { key: `rl:${id}:rpm`, capacity: limit.rpm, refillPerMs: limit.rpm / MINUTE_MS, cost: use.requests }, label: `${label} limit of ${limit.rpm} requests per minute`, model });
  if (limit.tpm !== undefined) {
    const what = use.calls > 1 ? `prompt + max output of each of the ${use.calls} calls it may make` : 'prompt + max output';
    if (use.tokens > limit.tpm) throw new GatewayError('rate_limit_exceeded', `this request may use ${use.tokens} tokens (${what}), more than the ${label} limit of ${limit.tpm} tokens per minute; lower max_tokens`, { param: 'max_tokens' });
    out.push({ check: { key: `rl:${id}:tpm`, capacity: limit.tpm, refillPerMs: limit.tpm / MINUTE_MS, cost: use.tokens }, label: `${label} limit of ${limit.tpm} tokens per minute`, model });
  }
};

const outputRoom = (t: Target, f: Features): number => Math.min(f.requestedMaxTokens ?? t.params.maxTokens ?? t.model.maxOutputTokens, t.model.maxOutputTokens);

/**
 * The most a request can take of something (tokens, money) when each call takes `of(target)`:
 * every panel member's, then every later target's when each may answer (an escalating cascade),
 * else the dearest later target's (one answers; failed attempts bill nothing). Also the calls counted.
 */
const worstCase = (targets: readonly Target[], calls: ChainCalls, of: (t: Target) => number): { amount: number; calls: number } => {
  let sum = 0;
  for (let i = 0; i < calls.panel; i++) sum += of(targets[i] as Target);
  let max = 0;
  const end = Math.min(targets.length, calls.panel + calls.maxTargets);
  for (let i = calls.panel; i < end; i++) {
    const v = of(targets[i] as Target);
    if (calls.escalating) sum += v;
    else max = Math.max(max, v);
  }
  const later = end - calls.panel;
  return { amount: sum + max, calls: calls.panel + (calls.escalating ? later : Math.min(1, later)) };
};

/**
 * Rate limits and budgets for one request, checked in one step before the first upstream call.
 * Tokens (TPM) and money are reserved for the worst case — the prompt plus the most output any
 * target may produce, at the most expensive target's prices — and corrected after the request with
 * the real usage, so concurrent requests can never spend what is not there.
 */
export const createAdmission = (deps: AdmissionDeps) => {
  const { limits } = deps;
  const period = createPeriodClock();
  const budgetChecks = (input: AdmissionInput, amount: number, now: number): Array<{ check: BudgetCheck; rule: BudgetRule; endsAt: number }> => {
    const rules: BudgetRule[] = [];
    const b = limits.budgets;
    rules.push(...(b.tenants.get(input.ctx.tenant) ?? []), ...(b.keys.get(`${input.ctx.tenant}/${input.ctx.apiKeyId}`) ?? []));
    if (b.tags.size > 0) for (const [name, value] of Object.entries(input.ctx.tags)) rules.push(...(b.tags.get(`${name}=${value}`) ?? []));
    return rules.map((rule) => {
      const p = period(rule.period, now);
      return { rule, endsAt: p.endsAt, check: { key: budgetKey(rule, p.label), limit: rule.limitMicroUsd, amount, ttlMs: p.endsAt - now + BUDGET_MARGIN_MS } };
    });
  };

  const admit = (input: AdmissionInput, calls: ChainCalls): Reservation | Promise<Reservation> | null => {
    const { ctx, features, targets } = input;
    const worst = worstCase(targets, calls, (t) => features.inputTokens + outputRoom(t, features));
    const use = { requests: 1, tokens: worst.amount, calls: worst.calls };
    const mandatory: Labelled[] = [];
    const keyId = `${ctx.tenant}/${ctx.apiKeyId}`;
    bucketsOf(mandatory, `key:${keyId}`, limits.keys.get(keyId) ?? limits.defaultKey, use, `API key '${ctx.apiKeyId}'`);
    bucketsOf(mandatory, `tenant:${ctx.tenant}`, limits.tenants.get(ctx.tenant) ?? limits.defaultTenant, use, `tenant '${ctx.tenant}'`);
    const choices = targetChoices(limits, targets, features, calls.panel);
    const now = deps.now();
    const maxCost = worstCase(targets, calls, (t) => deps.costOf(usageOf(features.inputTokens, outputRoom(t, features)), t.model.prices)).amount;
    const budgets = budgetChecks(input, maxCost, now);
    if (mandatory.length === 0 && choices.length === 0 && budgets.length === 0) return null;
    const checks: AdmissionChecks = { buckets: mandatory.map((m) => m.check), budgets: budgets.map((b) => b.check), choices: choices.map((c) => c.map((l) => l.check)) };
    const settleWith = (admission: Admission): Reservation => {
      if (!admission.allowed) throw refusal(admission, mandatory, budgets, now);
      const chosen = admission.choice >= 0 ? (choices[admission.choice] ?? []) : [];
      const tpm = [...mandatory, ...chosen].filter((l) => l.check.key.endsWith(':tpm'));
      let settled = false;
      // With a panel and model limits, choice 0 is the whole panel and choice k the chain from target k − 1 alone.
      const offset = calls.panel > 0 && choices.length > 0 ? 1 : 0;
      return {
        start: Math.max(0, admission.choice - offset),
        panel: calls.panel === 0 || admission.choice <= 0,
        settle(usedTokens, costMicroUsd, attempts) {
          if (settled) return;
          settled = true;
          deps.store.adjust({
            buckets: tpm.map(({ check: c, model }) => ({
              key: c.key, capacity: c.capacity, refillPerMs: c.refillPerMs,
              delta: c.cost - (model !== undefined && attempts ? tokensOfModel(attempts, model) : usedTokens),
            })),
            budgets: budgets.map((b) => ({ key: b.check.key, delta: costMicroUsd - b.check.amount, ttlMs: b.check.ttlMs })),
          }, deps.now());
        },
      };
    };
    const admission = deps.store.admit(checks, now);
    return admission instanceof Promise ? admission.then(settleWith) : settleWith(admission);
  };

  /**
   * A panel's request that a budget or a TPM limit cannot hold whole is asked again without the
   * panel (one target at a time, as the chain then runs): near the end of a budget the route degrades
   * to its plain chain instead of refusing what a single call would fit.
   */
  return (input: AdmissionInput): Reservation | Promise<Reservation> | null => {
    const calls = input.calls ?? ONE_ANSWER;
    if (calls.panel === 0) return admit(input, calls);
    const alone = (err: unknown): Reservation | Promise<Reservation> => {
      if (!(err instanceof GatewayError) || (err.code !== 'budget_exceeded' && err.code !== 'rate_limit_exceeded')) throw err;
      const r = admit(input, { ...calls, panel: 0 });
      // Nothing to hold without the panel (cannot happen when something refused it): still no panel.
      const withoutPanel = (x: Reservation | null): Reservation => (x ? { ...x, panel: false } : { start: 0, panel: false, settle: () => undefined });
      return r instanceof Promise ? r.then(withoutPanel) : withoutPanel(r);
    };
    try {
      const r = admit(input, calls);
      return r instanceof Promise ? r.catch(alone) : r;
    } catch (err) {
      return alone(err);
    }
  };
};

/** The tokens billed on one model's attempts. */
const tokensOfModel = (attempts: readonly AttemptRecord[], model: string): number => {
  let n = 0;
  for (const r of attempts) if (r.target.model.id === model && r.usage) n += r.usage.inputTokens + r.usage.outputTokens;
  return n;
};

const usageOf = (inputTokens: number, outputTokens: number): Usage => ({ inputTokens, outputTokens, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });

/**
 * The model limits of targets[from, to) called at once (one, or a panel's members): each model's
 * checks once, with the calls and tokens of every target on it, or a check that can never pass when
 * they cannot fit the model's TPM at all. No allocation beyond the checks: this runs per target
 * per request on routes whose models are limited.
 */
const modelBuckets = (out: Labelled[], limits: LimitTable, targets: readonly Target[], from: number, to: number, features: Features): void => {
  for (let i = from; i < to; i++) {
    const id = (targets[i] as Target).model.id;
    let seen = false;
    for (let j = from; j < i && !seen; j++) seen = (targets[j] as Target).model.id === id;
    if (seen) continue; // counted with the model's first target
    let requests = 0;
    let tokens = 0;
    for (let j = i; j < to; j++) {
      const t = targets[j] as Target;
      if (t.model.id !== id) continue;
      requests += 1;
      tokens += features.inputTokens + outputRoom(t, features);
    }
    const limit = limits.models.get(id);
    if (limit?.tpm !== undefined && tokens > limit.tpm) out.push({ check: { key: `rl:model:${id}:too-big`, capacity: 0, refillPerMs: 0, cost: 1 }, label: '' });
    else bucketsOf(out, `model:${id}`, limit, { requests, tokens, calls: requests }, `model '${id}'`, id);
  }
};

/**
 * Per-model limits as alternatives: the chain starts at the first target under its limits. A
 * target without limits always has room, so alternatives stop there; none limited means no choice.
 * With a panel the first alternative is the whole panel (every member calls its model); when a
 * member has no room, the chain starts at the first target that has, without the panel.
 */
const targetChoices = (limits: LimitTable, targets: readonly Target[], features: Features, panelSize: number): Labelled[][] => {
  if (limits.models.size === 0) return [];
  const choices: Labelled[][] = [];
  if (panelSize > 0) {
    const whole: Labelled[] = [];
    modelBuckets(whole, limits, targets, 0, Math.min(panelSize, targets.length), features);
    // No member limited: the panel always has room.
    if (whole.length === 0) return [];
    choices.push(whole);
  }
  for (let i = 0; i < targets.length; i++) {
    const c: Labelled[] = [];
    modelBuckets(c, limits, targets, i, i + 1, features);
    choices.push(c);
    if (c.length === 0) break;
  }
  return choices.some((c) => c.length > 0) ? choices : [];
};

const refusal = (a: Admission, mandatory: readonly Labelled[], budgets: ReadonlyArray<{ rule: BudgetRule; endsAt: number }>, now: number): GatewayError => {
  const r = a.refused;
  if (r?.kind === 'unavailable') return new GatewayError('state_unavailable', 'rate limits and budgets cannot be checked right now (shared state unavailable); retry shortly', { retryAfterMs: a.retryAfterMs });
  if (r?.kind === 'budget') {
    const b = budgets[r.index];
    const what = b ? `the ${b.rule.period === 'day' ? 'daily' : 'monthly'} budget of ${b.rule.scope} '${b.rule.id}' ($${(b.rule.limitMicroUsd / 1e6).toFixed(2)})` : 'a budget';
    return new GatewayError('budget_exceeded', `this request could exceed ${what}`, { retryAfterMs: b ? b.endsAt - now : undefined });
  }
  // A target that can never take this request (too big for its TPM) has no meaningful wait.
  if (r?.kind === 'choices') return new GatewayError('rate_limit_exceeded', 'every target of this route is at its rate limit', { retryAfterMs: a.retryAfterMs < Number.MAX_SAFE_INTEGER ? a.retryAfterMs : undefined });
  const label = mandatory[r?.index ?? 0]?.label ?? 'a rate limit';
  return new GatewayError('rate_limit_exceeded', `rate limit reached: ${label}`, { retryAfterMs: a.retryAfterMs });
};
