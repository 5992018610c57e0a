import type { ChatRequest, ChatResponse } from './chat.js';
import type { Target } from './catalog.js';

/** Per-request features, computed once (routing/extract-features) and shared by all policies. */
export interface Features {
  inputTokens: number;
  messageCount: number;
  /** User turns in the conversation. */
  depth: number;
  requestedMaxTokens: number | null;
  taskType: TaskType;
  hasReasoningKeywords: boolean;
  hasCode: boolean;
  hasMath: boolean;
  hasImages: boolean;
  hasTools: boolean;
  jsonMode: boolean;
  /** ISO-639-1 guess or 'und'. */
  language: string;
  /** Hashed n-gram feature indices (sparse, sorted) for learned text models. */
  hashedNgrams: Uint32Array;
  /** Values aligned with hashedNgrams (tf, l2-normalised). */
  hashedValues: Float32Array;
}

export type TaskType =
  | 'classification'
  | 'extraction'
  | 'translation'
  | 'sentiment'
  | 'qa'
  | 'math'
  | 'code'
  | 'reasoning'
  | 'writing'
  | 'summarization'
  | 'chat';

/** A tenant's tier when its config names none. */
export const DEFAULT_TIER = 'standard';
/** Every request's tenant when no API keys are configured (the open, loopback-only gateway). */
export const OPEN_TENANT = 'default';

/** Who is asking, and the envelope they asked for. */
export interface RequestContext {
  tenant: string;
  tier: string;
  tags: Readonly<Record<string, string>>;
  /** Per-request envelope overrides (validated headers); undefined means the route's default. */
  qualityFloor?: number;
  latencySloMs?: number;
  maxCostMicroUsd?: number;
  /** A model the client asked for explicitly (when `model` names a catalog model, not a route). */
  requestedModel?: string;
}

/** Live per-target statistics, read-only to policies. */
export interface TargetStats {
  requests: number;
  errorRate: number;
  ttftP95Ms: number | null;
  latencyP95Ms: number | null;
  tokensPerSecond: number | null;
}
export interface StatsView {
  get(targetId: string): TargetStats | undefined;
}

export interface PlanInput {
  request: ChatRequest;
  features: Features;
  /** Already filtered by capability, context window, breaker, budget and rate limit. */
  candidates: readonly Target[];
  context: RequestContext;
  stats: StatsView;
  /** Injected randomness in [0,1): decisions are reproducible given the same sequence. */
  random: () => number;
  now: number;
}

export interface CandidatePrediction {
  targetId: string;
  pQuality?: number;
  expectedOutputTokens?: number;
  expectedCostMicroUsd?: number;
  expectedLatencyMs?: number;
  /** Expected time to first token (live p95, else the catalog prior). */
  expectedTtftMs?: number;
  /** Why it was excluded, when it was. */
  excluded?: string;
}

export interface Decision {
  policy: string;
  policyVersion: string;
  /** Short human reason: `rule:premium-tier`, `cheapest-meeting-floor`… */
  reason: string;
  /** Probability the chosen target had under this policy (1 for deterministic choices). */
  propensity: number;
  considered: CandidatePrediction[];
  /** Compact numeric context the policy decided on (learning policies), logged for OPE and updates. */
  context?: number[];
  /** Segment the decision belongs to (e.g. `premium/code`), for exploration and drift bookkeeping. */
  segment?: string;
}

export interface RoutingPlan {
  /** Ordered: first is the choice, the rest the fallback chain. */
  targets: Target[];
  decision: Decision;
  /**
   * Cascade policies: after a successful non-streaming answer from targets[i], the gateway asks
   * whether to escalate to targets[i+1]; every attempt is billed. Streams are never scored; a panel
   * applies to them too (its members answer whole, an accepted answer is streamed as one).
   */
  cascade?: {
    shouldEscalate(response: ChatResponse, features: Features): boolean;
    /**
     * False when shouldEscalate never says yes (a panel guard: only the panel's verdict moves on, to
     * one target): admission then reserves one answer after the panel, not one per later target.
     */
    escalates?: boolean;
    /**
     * Agreement panel: targets[0..size-1] answer concurrently; `judge` gets the answers that came
     * back (in target order) and says what they show and whether the first of them stands, else the
     * chain goes on from targets[size].
     */
    panel?: { size: number; judge(responses: readonly ChatResponse[]): PanelJudgement };
  };
}

/** What a panel's answers showed: all the same answer, not, or nothing to compare (free text, cut off, a member failed). */
export type PanelVerdict = 'agree' | 'disagree' | 'incomparable';

/** A panel's verdict and whether the first member's answer stands. */
export interface PanelJudgement {
  verdict: PanelVerdict;
  accept: boolean;
}

/** Policies only order targets; randomness and time are injected. */
export interface RoutingPolicy {
  readonly name: string;
  readonly version: string;
  plan(input: PlanInput): RoutingPlan;
  /** Present on policies that learn online from feedback (see PolicyLearner). */
  readonly learner?: PolicyLearner;
}

/** What a learning policy is told, off the request path, once a decision's reward is known. */
export interface LearningOutcome {
  decisionId: string;
  tenant: string;
  /** Target the policy chose (the arm whose estimate is updated). */
  chosen: string;
  /** The decision's context vector (Decision.context). */
  context: readonly number[];
  /** Quality in [0,1] from feedback. */
  quality: number;
  /** How much this piece of evidence counts (by feedback source: user 1, judge 0.5…). */
  weight: number;
  costMicroUsd: number;
  segment: string;
}

/**
 * Optional part of a policy that learns online (the bandit). Called only by the learning loop, never
 * on the request path; snapshot/restore give versioned, replayable state (policy versions).
 */
export interface PolicyLearner {
  learn(outcome: LearningOutcome): void;
  /**
   * Traffic drifted (cheap, immediate): explore more in `segment` (`tier/task`, tier `*` for every
   * tier; null for all). An `outcomes` drift (reward, errors, latency) also makes evidence stale; a
   * `features` drift (a new mix of requests) does not. Default `outcomes`.
   */
  onDrift(segment: string | null, kind?: 'features' | 'outcomes'): void;
  /** Called for every decision this policy made (volume per segment, off the request path). */
  observe?(decision: Decision, tenant: string): void;
  /**
   * A full retrain (a drift persisted): replaces the learned state by a fit, from the prior, on
   * these outcomes alone (the evidence logged since the drift began). Off the request path.
   */
  retrain?(outcomes: readonly LearningOutcome[]): void;
  /** Picks up evidence other replicas added to the shared statistics (called periodically, off the request path). */
  refresh?(): void;
  /**
   * True while nothing has been learned since start-up (then a stored active version is restored);
   * without it, a snapshot with empty `stats` counts as fresh.
   */
  fresh?(): boolean;
  /** The learned state as JSON text. */
  snapshot(): string;
  /** Replaces the learned state with a snapshot and stamps `versionId` on later decisions. */
  restore(blob: string, versionId: string): void;
  /** Stamps `versionId` on later decisions (the state is unchanged). */
  setVersion(versionId: string): void;
}
