import type { ModelPrices, Target } from '../spec/catalog.js';
import type { Usage } from '../spec/chat.js';
import type { Features, RequestContext } from '../spec/routing.js';
import type { Admission, AdmissionChecks, BucketCheck, BudgetCheck, BudgetRule, LimitTable, RateLimit, StateStore } from '../spec/state.js';
import { GatewayError } from '../errors/index.js';
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
  /** How many of the first targets answer together (a cascade's agreement panel); 1 or absent: one at a time. */
  panelSize?: number;
}

/** What a request holds once admitted: where the chain starts, and how to settle with the real usage. */
export interface Reservation {
  /** Index in `targets` of the first target under its limits (0 when targets are not limited). */
  start: number;
  /** Whether the panel may run: every member had room under its model's limits (true when there is no panel). */
  panel: boolean;
  /** Gives back unused tokens and commits the real cost (or refunds the reservation on failure). */
  settle(tokens: number, costMicroUsd: number): void;
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
}

/** `calls`: how many upstream calls the tokens are for (a panel's members and one more), named in the refusal. */
const bucketsOf = (out: Labelled[], id: string, limit: RateLimit | undefined, tokens: number, label: string, calls = 1): void => {
  if (!limit) return;
  if (limit.rpm !== undefined) out.push({ check: { key: `rl:${id}:rpm`, capacity: limit.rpm, refillPerMs: limit.rpm / MINUTE_MS, cost: 1 }, label: `${label} limit of ${limit.rpm} requests per minute` });
  if (limit.tpm !== undefined) {
    const what = calls > 1 ? `prompt + max output, for each of the ${calls} calls its agreement panel and escalation may make` : 'prompt + max output';
    if (tokens > limit.tpm) throw new GatewayError('rate_limit_exceeded', `this request may use ${tokens} tokens (${what}), more than the ${label} limit of ${limit.tpm} tokens per minute; lower max_tokens`, { param: 'max_tokens' });
    out.push({ check: { key: `rl:${id}:tpm`, capacity: limit.tpm, refillPerMs: limit.tpm / MINUTE_MS, cost: tokens }, label: `${label} limit of ${limit.tpm} tokens per minute` });
  }
};

const outputRoom = (t: Target, f: Features): number => Math.min(f.requestedMaxTokens ?? t.params.maxTokens ?? t.model.maxOutputTokens, t.model.maxOutputTokens);

/**
 * The most a request can take of something (tokens, money) when each call takes `of(target)`: one
 * call answers, so the dearest target; with a panel every member answers (each billed) and then at
 * most one more target, after the panel, is asked to answer.
 */
const worstCase = (targets: readonly Target[], panelSize: number, of: (t: Target) => number): number => {
  const panel = panelSize > 1 ? Math.min(panelSize, targets.length) : 0;
  let sum = 0;
  for (let i = 0; i < panel; i++) sum += of(targets[i] as Target);
  let max = 0;
  for (let i = panel; i < targets.length; i++) max = Math.max(max, of(targets[i] as Target));
  return sum + max;
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

  return (input: AdmissionInput): Reservation | Promise<Reservation> | null => {
    const { ctx, features, targets } = input;
    const panelSize = input.panelSize ?? 1;
    const tokens = worstCase(targets, panelSize, (t) => features.inputTokens + outputRoom(t, features));
    const mandatory: Labelled[] = [];
    const keyId = `${ctx.tenant}/${ctx.apiKeyId}`;
    const calls = panelSize > 1 ? Math.min(panelSize, targets.length) + (targets.length > panelSize ? 1 : 0) : 1;
    bucketsOf(mandatory, `key:${keyId}`, limits.keys.get(keyId) ?? limits.defaultKey, tokens, `API key '${ctx.apiKeyId}'`, calls);
    bucketsOf(mandatory, `tenant:${ctx.tenant}`, limits.tenants.get(ctx.tenant) ?? limits.defaultTenant, tokens, `tenant '${ctx.tenant}'`, calls);
    const choices = targetChoices(limits, targets, features, panelSize);
    const now = deps.now();
    const maxCost = worstCase(targets, panelSize, (t) => deps.costOf(usageOf(features.inputTokens, outputRoom(t, features)), t.model.prices));
    const budgets = budgetChecks(input, maxCost, now);
    if (mandatory.length === 0 && choices.length === 0 && budgets.length === 0) return null;
    const checks: AdmissionChecks = { buckets: mandatory.map((m) => m.check), budgets: budgets.map((b) => b.check), choices: choices.map((c) => c.map((l) => l.check)) };
    const settleWith = (admission: Admission): Reservation => {
      if (!admission.allowed) throw refusal(admission, mandatory, budgets, now);
      const chosen = admission.choice >= 0 ? (choices[admission.choice] ?? []) : [];
      const tpm = [...mandatory, ...chosen].filter((l) => l.check.key.endsWith(':tpm')).map((l) => l.check);
      let settled = false;
      // With a panel and model limits, choice 0 is the whole panel and choice k the chain from target k − 1 alone.
      const offset = panelSize > 1 && choices.length > 0 ? 1 : 0;
      return {
        start: Math.max(0, admission.choice - offset),
        panel: panelSize <= 1 || admission.choice <= 0,
        settle(usedTokens, costMicroUsd) {
          if (settled) return;
          settled = true;
          deps.store.adjust({
            buckets: tpm.map((c) => ({ key: c.key, capacity: c.capacity, refillPerMs: c.refillPerMs, delta: c.cost - usedTokens })),
            budgets: budgets.map((b) => ({ key: b.check.key, delta: costMicroUsd - b.check.amount, ttlMs: b.check.ttlMs })),
          }, deps.now());
        },
      };
    };
    const admission = deps.store.admit(checks, now);
    return admission instanceof Promise ? admission.then(settleWith) : settleWith(admission);
  };
};

const usageOf = (inputTokens: number, outputTokens: number): Usage => ({ inputTokens, outputTokens, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });

/** A target's own model limits for one call, or a check that can never pass when the call cannot fit its TPM at all. */
const modelBuckets = (out: Labelled[], limits: LimitTable, t: Target, features: Features): void => {
  const limit = limits.models.get(t.model.id);
  const tokens = features.inputTokens + outputRoom(t, features);
  if (limit?.tpm !== undefined && tokens > limit.tpm) out.push({ check: { key: `rl:model:${t.model.id}:too-big`, capacity: 0, refillPerMs: 0, cost: 1 }, label: '' });
  else bucketsOf(out, `model:${t.model.id}`, limit, tokens, `model '${t.model.id}'`);
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
  if (panelSize > 1) {
    const whole: Labelled[] = [];
    for (const m of targets.slice(0, panelSize)) modelBuckets(whole, limits, m, features);
    // No member limited: the panel always has room.
    if (whole.length === 0) return [];
    choices.push(whole);
  }
  for (const t of targets) {
    const c: Labelled[] = [];
    modelBuckets(c, limits, t, features);
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
