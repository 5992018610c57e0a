import type { ChatRequest, ChatResponse } from '../../spec/chat.js';
import type { Features } from '../../spec/routing.js';

/** What a scorer sees once a candidate has answered (non-streaming). */
export interface AnswerCheckInput {
  request: ChatRequest;
  features: Features;
  response: ChatResponse;
}

export interface AnswerScore {
  /** Estimated P(the answer is acceptable), in [0,1]. */
  quality: number;
  /** Short reason, e.g. `ok`, `truncated`, `invalid-json`, or a model's own label. */
  reason: string;
}

/**
 * Judges an answer so a cascade can decide whether to escalate. Pure and fast: it runs on the
 * request path between two attempts. The rules scorer is the built-in one; a learned quality
 * estimator plugs in through `PolicyDeps.scorers` under its own name.
 */
export interface AnswerScorer {
  readonly name: string;
  score(input: AnswerCheckInput): AnswerScore;
}
