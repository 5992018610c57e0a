import type { ChatRequest } from '../spec/chat.js';
import type { RequestEndEvent } from '../spec/events.js';
import type { DecisionRecord } from '../spec/learning.js';
import { DEFAULT_TIER, type Features } from '../spec/routing.js';
import { contextVector, segmentOf } from '../routing/policies/bandit-policy-context.js';
import type { PendingDecision } from './pending-decisions.js';

type Ngrams = NonNullable<PendingDecision['ngrams']>;

/**
 * Prompts up to this many characters keep their features (and so their text) until failure memory
 * asks for the n-grams; longer ones are hashed now. Holding ≤ 4k characters costs about what the
 * hashed n-grams themselves would, so memory stays bounded by pendingDecisions either way.
 */
export const LAZY_NGRAM_MAX_CHARS = 4_096;

const textLength = (request: ChatRequest): number => {
  let n = 0;
  for (const m of request.messages) {
    if (typeof m.content === 'string') n += m.content.length;
    else if (Array.isArray(m.content)) for (const part of m.content) if (part.type === 'text' && typeof part.text === 'string') n += part.text.length;
  }
  return n;
};

const ngramsOf = (f: Features): Ngrams => ({ indices: f.hashedNgrams, values: f.hashedValues });

/**
 * A logged decision kept for delayed feedback. Its hashed n-grams, which only failure memory reads,
 * and only when user or judge feedback arrives, cost tens of µs: for ordinary prompts they are
 * hashed at that first read (then cached) instead of on every request. A class with the getter on
 * its prototype: an object literal with a getter is a dictionary-mode object in V8, larger and
 * slower to read, and up to 100,000 of these are held.
 */
class LoggedDecision implements PendingDecision {
  #features: Features | undefined;
  #ngrams: Ngrams | undefined;

  constructor(readonly record: DecisionRecord, readonly segment: string, features: Features, request: ChatRequest | undefined) {
    if (!request || textLength(request) > LAZY_NGRAM_MAX_CHARS) this.#ngrams = ngramsOf(features);
    else this.#features = features;
  }

  get ngrams(): Ngrams {
    if (!this.#ngrams) {
      this.#ngrams = ngramsOf(this.#features as Features);
      this.#features = undefined; // the arrays are kept; the prompt text need not be
    }
    return this.#ngrams;
  }
}

/**
 * The decision log's row for a finished request. Policies that learn put their own context vector
 * on the decision; for the others the compact default one is recorded, so every logged decision
 * can be replayed and evaluated off-policy the same way.
 */
export const toPendingDecision = (e: RequestEndEvent, now: number): PendingDecision => {
  const d = e.decision;
  const record: DecisionRecord = {
    decisionId: e.decisionId, requestId: e.requestId, ts: Math.round(now - e.latencyMs), tenant: e.tenant, route: e.route,
    policy: d.policy, policyVersion: d.policyVersion, chosen: e.chosen ?? e.target ?? '', served: e.target,
    propensity: d.propensity, considered: d.considered, context: d.context ?? contextVector(e.features),
    taskType: e.features.taskType, costMicroUsd: e.costMicroUsd, latencyMs: Math.round(e.latencyMs), status: e.status,
  };
  return new LoggedDecision(record, d.segment ?? segmentOf(e.tier ?? DEFAULT_TIER, e.features), e.features, e.request);
};

/** Why a decision cannot be stored (it would fail its whole batch), or null. */
export const invalidDecision = (d: DecisionRecord): string | null => {
  if (d.decisionId === '') return 'decisionId is empty';
  // Runs for every decision: plain checks, no arrays or closures per call.
  if (!Number.isFinite(d.ts)) return 'ts is not a finite number';
  if (!Number.isFinite(d.propensity)) return 'propensity is not a finite number';
  if (!Number.isFinite(d.costMicroUsd)) return 'costMicroUsd is not a finite number';
  if (!Number.isFinite(d.latencyMs)) return 'latencyMs is not a finite number';
  for (let i = 0; i < d.context.length; i++) if (!Number.isFinite(d.context[i])) return 'context has a non-finite entry';
  return null;
};
