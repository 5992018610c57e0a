import type { Target } from '../spec/catalog.js';
import type { PlanInput, RoutingPlan, RoutingPolicy } from '../spec/routing.js';
import { catalogCostEstimate } from '../routing/catalog-estimates.js';
import type { FeedbackListener } from './create-learning-loop.js';

export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

export interface FailureMemoryOptions {
  maxPerTenant: number;
  /** Cosine similarity at or above which two queries count as similar. */
  similarity: number;
  ttlMs: number;
}

interface Entry {
  query: SparseVector;
  /** The target whose answer was reported bad. */
  bad: string;
  ts: number;
}

/** Cosine of two l2-normalised sparse vectors with sorted indices (a merge join, O(nnz)). */
export const cosine = (a: SparseVector, b: SparseVector): number => {
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const x = a.indices[i] as number;
    const y = b.indices[j] as number;
    if (x === y) dot += (a.values[i++] as number) * (b.values[j++] as number);
    else if (x < y) i++;
    else j++;
  }
  return dot;
};

/**
 * Failure memory: a response reported bad is evidence against its target on similar future queries
 * (nearest neighbours in the hashed n-gram space the router already computes, per tenant), until
 * good feedback for that target on a similar query releases it, or it expires. Bounded: `maxPerTenant` entries per
 * tenant, the oldest forgotten first, so a lookup costs at most that many sparse dot products —
 * and nothing for a tenant with no bad answers on record (the common case).
 */
export const createFailureMemory = (options: FailureMemoryOptions) => {
  const byTenant = new Map<string, Entry[]>();
  const live = (tenant: string, now: number): Entry[] => {
    const entries = byTenant.get(tenant);
    if (!entries) return [];
    const kept = entries.filter((e) => now - e.ts <= options.ttlMs);
    if (kept.length === 0) byTenant.delete(tenant);
    else if (kept.length !== entries.length) byTenant.set(tenant, kept);
    return kept;
  };
  return {
    remember(tenant: string, query: SparseVector, bad: string, now: number): void {
      if (query.indices.length === 0) return;
      const entries = live(tenant, now);
      // A copy of exact size: the request's vector is a view into a shared slab (src/routing/sparse-alloc.ts),
      // which a memory kept for `ttlMs` would otherwise hold whole.
      entries.push({ query: { indices: query.indices.slice(), values: query.values.slice() }, bad, ts: now });
      if (entries.length > options.maxPerTenant) entries.splice(0, entries.length - options.maxPerTenant);
      byTenant.set(tenant, entries);
    },
    /** Good feedback for `target` on a similar query: the evidence says its failure no longer applies. */
    release(tenant: string, query: SparseVector, target: string, now: number): number {
      const entries = live(tenant, now);
      const kept = entries.filter((e) => e.bad !== target || cosine(e.query, query) < options.similarity);
      if (kept.length === 0) byTenant.delete(tenant);
      else byTenant.set(tenant, kept);
      return entries.length - kept.length;
    },
    /**
     * The evidence against each target on this query: the summed similarity of its remembered
     * failures on similar queries (an identical query counts 1). Empty for a tenant with none.
     */
    failures(tenant: string, query: SparseVector, now: number): Map<string, number> {
      const out = new Map<string, number>();
      const entries = byTenant.get(tenant);
      if (!entries || query.indices.length === 0) return out;
      for (const e of entries) {
        if (now - e.ts > options.ttlMs) continue;
        const sim = cosine(e.query, query);
        if (sim >= options.similarity) out.set(e.bad, (out.get(e.bad) ?? 0) + sim);
      }
      return out;
    },
    size: (tenant: string): number => byTenant.get(tenant)?.length ?? 0,
  };
};
export type FailureMemory = ReturnType<typeof createFailureMemory>;

/** Strength by list price: the catalog knows prices, and a pricier model is the stronger one. */
const price = (t: Target): number => t.model.prices.inputPerMtok + t.model.prices.outputPerMtok;

export interface FailureMemoryPolicyOptions {
  /** λ of a tenant (reward = quality − λ·USD), the objective an escalation must serve. */
  lambdaFor(tenant: string): number;
  /**
   * How many neighbour outcomes the policy's own P(quality) counts as: a target with failures of
   * summed similarity S on similar queries is expected to reach P·k/(k + S).
   */
  priorWeight: number;
}

interface Option {
  target: Target;
  reward: number;
}

/**
 * Expected reward of each target with the neighbours' evidence folded in, or null when the plan
 * carries no prediction to start from (a fixed or rules policy).
 */
const rewardsOf = (plan: RoutingPlan, input: PlanInput, failures: ReadonlyMap<string, number>, o: FailureMemoryPolicyOptions): Option[] | null => {
  const lambda = o.lambdaFor(input.context.tenant);
  const out: Option[] = [];
  for (const target of plan.targets) {
    const c = plan.decision.considered.find((p) => p.targetId === target.id);
    if (c?.pQuality === undefined) return null;
    if (c.excluded) continue;
    const quality = (c.pQuality * o.priorWeight) / (o.priorWeight + (failures.get(target.id) ?? 0));
    const cost = c.expectedCostMicroUsd !== undefined ? c.expectedCostMicroUsd / 1e6 : catalogCostEstimate(target, input);
    out.push({ target, reward: quality - lambda * cost });
  }
  return out;
};

/**
 * The stronger target to serve instead of a first choice that failed on similar queries, if any:
 * with the policy's predictions, the stronger candidate of best expected reward, and only when
 * that beats the failed one's (whose expected quality the failures lowered); without predictions,
 * the cheapest stronger candidate.
 */
const escalation = (plan: RoutingPlan, input: PlanInput, failures: ReadonlyMap<string, number>, o: FailureMemoryPolicyOptions): Target | undefined => {
  const first = plan.targets[0] as Target;
  const stronger = (t: Target): boolean => price(t) > price(first);
  const options = rewardsOf(plan, input, failures, o);
  if (options === null) return plan.targets.filter(stronger).sort((a, b) => price(a) - price(b))[0];
  const failed = options.find((x) => x.target === first);
  const best = options.filter((x) => stronger(x.target)).reduce<Option | undefined>((a, x) => (a && a.reward >= x.reward ? a : x), undefined);
  return best && (!failed || best.reward > failed.reward) ? best.target : undefined;
};

/**
 * Wraps any routing policy as a plan post-processor: when the plan's first choice failed on
 * queries similar to this one, a stronger candidate goes first — if the objective says so (see
 * `escalation`): escalating costs more on every similar query, which pays only when the failures
 * make the first choice's expected quality low enough. Deterministic given the memory, so the
 * decision's propensity becomes 1; the policy's name, version and learner are kept.
 */
export const withFailureMemory = (policy: RoutingPolicy, memory: FailureMemory, options: FailureMemoryPolicyOptions): RoutingPolicy => ({
  name: policy.name,
  get version() {
    return policy.version;
  },
  ...(policy.learner ? { learner: policy.learner } : {}),
  plan(input) {
    const plan = policy.plan(input);
    const first = plan.targets[0];
    // A tenant with nothing remembered (the common case) must not pay for hashing the prompt.
    if (!first || plan.targets.length < 2 || memory.size(input.context.tenant) === 0) return plan;
    const failures = memory.failures(input.context.tenant, { indices: input.features.hashedNgrams, values: input.features.hashedValues }, input.now);
    if (!failures.has(first.id)) return plan;
    const to = escalation(plan, input, failures, options);
    if (!to) return plan;
    return {
      ...plan,
      targets: [to, ...plan.targets.filter((t) => t !== to)],
      decision: { ...plan.decision, reason: `failure-memory:${first.id}>${to.id} (${plan.decision.reason})`, propensity: 1 },
    };
  },
});

/**
 * Feeds the memory from feedback: a bad answer (quality < 0.5) *reported* by a user or a judge is
 * remembered against the target that gave it; a good answer of the same target on a similar query
 * releases it (another target's success says nothing about this one). Implicit
 * signals stay out: a repeated prompt is also what batch clients send, and a provider error is about
 * availability, not about the query; estimator guesses are too weak to steer routing.
 */
export const failureMemoryListener = (memory: FailureMemory, now: () => number): FeedbackListener => ({
  onFeedback(p, quality, record) {
    if (!p.ngrams || (record.source !== 'user' && record.source !== 'judge')) return;
    const target = p.record.served ?? p.record.chosen;
    if (quality < 0.5) memory.remember(p.record.tenant, p.ngrams, target, now());
    else memory.release(p.record.tenant, p.ngrams, target, now());
  },
});
