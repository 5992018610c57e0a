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
}

export interface RoutingPlan {
  /** Ordered: first is the choice, the rest the fallback chain. */
  targets: Target[];
  decision: Decision;
  /**
   * Cascade policies: after a successful non-streaming answer from targets[i], the gateway asks
   * whether to escalate to targets[i+1]; both attempts are billed. Streams are never cascaded.
   */
  cascade?: { shouldEscalate(response: ChatResponse, features: Features): boolean };
}

/** Policies only order targets; randomness and time are injected. */
export interface RoutingPolicy {
  readonly name: string;
  readonly version: string;
  plan(input: PlanInput): RoutingPlan;
}
