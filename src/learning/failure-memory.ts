import type { Target } from '../spec/catalog.js';
import type { RoutingPolicy } from '../spec/routing.js';
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
 * Failure memory: a response reported bad makes similar future queries (nearest neighbour in the
 * hashed n-gram space the router already computes, per tenant) go to a stronger candidate, until
 * good feedback on a similar query releases it, or it expires. Bounded: `maxPerTenant` entries per
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
      entries.push({ query, bad, ts: now });
      if (entries.length > options.maxPerTenant) entries.splice(0, entries.length - options.maxPerTenant);
      byTenant.set(tenant, entries);
    },
    /** Good feedback on a similar query: the evidence says the failure no longer applies. */
    release(tenant: string, query: SparseVector, now: number): number {
      const entries = live(tenant, now);
      const kept = entries.filter((e) => cosine(e.query, query) < options.similarity);
      if (kept.length === 0) byTenant.delete(tenant);
      else byTenant.set(tenant, kept);
      return entries.length - kept.length;
    },
    /** The target that failed on the most similar remembered query, if one is similar enough. */
    match(tenant: string, query: SparseVector, now: number): string | undefined {
      const entries = byTenant.get(tenant);
      if (!entries || query.indices.length === 0) return undefined;
      let best: Entry | undefined;
      let bestSim = options.similarity;
      for (const e of entries) {
        if (now - e.ts > options.ttlMs) continue;
        const sim = cosine(e.query, query);
        if (sim >= bestSim) {
          best = e;
          bestSim = sim;
        }
      }
      return best?.bad;
    },
    size: (tenant: string): number => byTenant.get(tenant)?.length ?? 0,
  };
};
export type FailureMemory = ReturnType<typeof createFailureMemory>;

/** Strength by list price: the catalog knows prices, and a pricier model is the stronger one. */
const price = (t: Target): number => t.model.prices.inputPerMtok + t.model.prices.outputPerMtok;

/**
 * Wraps any routing policy as a plan post-processor: when a query resembles one whose answer was
 * reported bad and the plan's first choice is the target that failed (or a cheaper one), the
 * cheapest planned candidate stronger than the failed target goes first. Deterministic given the
 * memory, so the decision's propensity becomes 1; the policy's name, version and learner are kept.
 */
export const withFailureMemory = (policy: RoutingPolicy, memory: FailureMemory): RoutingPolicy => ({
  name: policy.name,
  get version() {
    return policy.version;
  },
  ...(policy.learner ? { learner: policy.learner } : {}),
  plan(input) {
    const plan = policy.plan(input);
    const first = plan.targets[0];
    if (!first || plan.targets.length < 2) return plan;
    const bad = memory.match(input.context.tenant, { indices: input.features.hashedNgrams, values: input.features.hashedValues }, input.now);
    if (bad === undefined) return plan;
    const failed = plan.targets.find((t) => t.id === bad) ?? input.candidates.find((t) => t.id === bad);
    if (!failed || price(first) > price(failed)) return plan;
    const stronger = plan.targets.filter((t) => price(t) > price(failed)).sort((a, b) => price(a) - price(b))[0];
    if (!stronger) return plan;
    return {
      ...plan,
      targets: [stronger, ...plan.targets.filter((t) => t !== stronger)],
      decision: { ...plan.decision, reason: `failure-memory:${bad}>${stronger.id} (${plan.decision.reason})`, propensity: 1 },
    };
  },
});

/**
 * Feeds the memory from feedback: a bad answer (quality < 0.5) *reported* by a user or a judge is
 * remembered against the target that gave it; a good one on a similar query releases it. Implicit
 * signals stay out: a repeated prompt is also what batch clients send, and a provider error is about
 * availability, not about the query; estimator guesses are too weak to steer routing.
 */
export const failureMemoryListener = (memory: FailureMemory, now: () => number): FeedbackListener => ({
  onFeedback(p, quality, record) {
    if (!p.ngrams || (record.source !== 'user' && record.source !== 'judge')) return;
    if (quality < 0.5) memory.remember(p.record.tenant, p.ngrams, p.record.served ?? p.record.chosen, now());
    else memory.release(p.record.tenant, p.ngrams, now());
  },
});
