import type { RequestEndEvent } from '../spec/events.js';
import type { ChatRequest } from '../spec/chat.js';
import type { LearningOutcome, PolicyLearner } from '../spec/routing.js';
import { configSchema, type LearningConfig } from '../config/config-schema.js';
import { extractFeatures } from '../routing/extract-features.js';

/** Test helpers shared by the learning module's unit tests (not used in production code). */
export const learningConfig = (over: Record<string, unknown> = {}): LearningConfig => configSchema.parse({ learning: over }).learning;

export const chatRequest = (text: string, over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'auto', messages: [{ role: 'user', content: text }], stream: false, ...over,
} as ChatRequest);

export const requestEnd = (decisionId: string, over: Partial<RequestEndEvent> = {}, text = 'write a python function to sort a list'): RequestEndEvent => {
  const request = chatRequest(text);
  return {
    type: 'request-end', requestId: `req-${decisionId}`, decisionId, tenant: 'acme', route: 'auto', target: 'small', model: 'small',
    status: 200, errorCode: null, stream: false, attempts: 1, fallbacks: 0, latencyMs: 10, ttftMs: 5, usage: null, costMicroUsd: 100,
    decision: { policy: 'bandit', policyVersion: 'v1', reason: 'test', propensity: 0.5, considered: [] },
    features: extractFeatures(request), chosen: 'small', tier: 'standard', request, ...over,
  };
};

/** A learner that records what it was told. */
export const recordingLearner = (): PolicyLearner & { outcomes: LearningOutcome[]; drifts: Array<string | null>; driftKinds: Array<string | undefined> } => {
  const outcomes: LearningOutcome[] = [];
  const drifts: Array<string | null> = [];
  const driftKinds: Array<string | undefined> = [];
  return {
    outcomes, drifts, driftKinds,
    learn: (o) => { outcomes.push(o); },
    onDrift: (s, kind) => { drifts.push(s); driftKinds.push(kind); },
    snapshot: () => '{}',
    restore: () => undefined,
    setVersion: () => undefined,
  };
};
