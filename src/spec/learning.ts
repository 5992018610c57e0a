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
  /**
   * The target the feedback is about, when it is not the one that served the answer (a provider
   * error is about the target that failed). Learning credits this target; default: the served one.
   */
  target?: string;
}

export type PolicyVersionStatus = 'active' | 'candidate' | 'retired';

/**
 * A versioned snapshot of a learned policy's state (bandit statistics, a trained artefact…). At most
 * one version per (route, tenant) is active; it is the one stamped on the ledger rows it decides.
 */
export interface PolicyVersionRecord {
  id: string;
  route: string;
  /** `*` for a route-wide policy (which keeps per-tenant statistics inside its blob). */
  tenant: string;
  /** How it was made: `initial`, `online-update`, `drift-update`, `retrain-requested`, `trained`… */
  kind: string;
  /** ms since epoch. */
  created: number;
  parent: string | null;
  status: PolicyVersionStatus;
  /** The policy's state as JSON text (the policy's own format). */
  blob: string;
}

export interface DecisionQuery {
  tenant?: string;
  route?: string;
  /** ms since epoch, inclusive. */
  from?: number;
  /** ms since epoch, exclusive. */
  to?: number;
  /** At most this many, oldest first. */
  limit?: number;
}

export interface FeedbackQuery {
  tenant?: string;
  decisionId?: string;
  from?: number;
  to?: number;
  limit?: number;
}

/** Identifies a piece of feedback for de-duplication. */
export type FeedbackKey = Pick<FeedbackRecord, 'decisionId' | 'metric' | 'source' | 'idempotencyKey'>;

/**
 * The learning tables of the ledger database (decisions, feedback, policy versions). Inserts are
 * idempotent: a decision id or a feedback key already stored is ignored, so a retried batch is safe.
 */
export interface LearningStore {
  insertDecisions(rows: readonly DecisionRecord[]): Promise<void>;
  insertFeedback(rows: readonly FeedbackRecord[]): Promise<void>;
  getDecision(decisionId: string): Promise<DecisionRecord | undefined>;
  hasFeedback(key: FeedbackKey): Promise<boolean>;
  listDecisions(query: DecisionQuery): Promise<DecisionRecord[]>;
  listFeedback(query: FeedbackQuery): Promise<FeedbackRecord[]>;
  savePolicyVersion(version: PolicyVersionRecord): Promise<void>;
  getPolicyVersion(id: string): Promise<PolicyVersionRecord | undefined>;
  /** Newest first. */
  listPolicyVersions(query: { route?: string; tenant?: string; status?: PolicyVersionStatus }): Promise<PolicyVersionRecord[]>;
  /** Makes `id` the active version of its (route, tenant), retiring the one active before (one transaction). */
  activatePolicyVersion(id: string): Promise<PolicyVersionRecord>;
}

/**
 * The key the quality estimator's online state is versioned under, beside the routes' learning
 * policies (`switchyard policy list|promote|rollback`); no route may take this name.
 */
export const ESTIMATOR_VERSIONS_KEY = 'learning.estimator';
