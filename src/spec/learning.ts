import type { CandidatePrediction } from './routing.js';

/**
 * What the learning loop records and consumes. Decisions are logged (off the request path) with
 * their propensities so that a new policy can be evaluated off-policy (IPS, doubly robust) before
 * it serves; feedback joins a decision by its id, from users, judges or implicit signals.
 */

/** One routing decision, as logged for learning and off-policy evaluation. */
export interface DecisionRecord {
  decisionId: string;
  requestId: string;
  /** ms since epoch. */
  ts: number;
  tenant: string;
  route: string;
  policy: string;
  policyVersion: string;
  /** Target that was chosen first by the policy. */
  chosen: string;
  /** Target that produced the answer (after fallbacks), or null when every attempt failed. */
  served: string | null;
  /** Probability the policy gave `chosen` (1 for deterministic policies). */
  propensity: number;
  considered: CandidatePrediction[];
  /** Compact numeric context the decision was made on (the policy's feature vector), for replay and OPE. */
  context: number[];
  taskType: string;
  /** Total cost of the request (all attempts), integer micro-USD. */
  costMicroUsd: number;
  latencyMs: number;
  status: number;
}

export type FeedbackSource = 'user' | 'judge' | 'implicit' | 'estimator';

/** One piece of feedback on a decision. Duplicates (same decision, metric, source, idempotency key) are ignored. */
export interface FeedbackRecord {
  decisionId: string;
  tenant: string;
  /** Declared metric name (config), e.g. `thumbs`, `accepted`, `rating`, `json_valid`. */
  metric: string;
  /** Numeric value: booleans are 0/1; floats as given. */
  value: number;
  source: FeedbackSource;
  /** ms since epoch when it arrived. */
  ts: number;
  comment?: string;
  label?: string;
  /** Client-supplied key that makes a retried POST idempotent. */
  idempotencyKey?: string;
}
