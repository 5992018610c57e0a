import type { ChatRequest, ChatResponse, Usage } from './chat.js';
import type { Decision, Features, PanelJudgement } from './routing.js';
import type { LedgerRow } from './ledger.js';

export interface AttemptStartEvent {
  type: 'attempt-start';
  requestId: string;
  attempt: number;
  target: string;
  provider: string;
}

export interface AttemptEndEvent {
  type: 'attempt-end';
  row: LedgerRow;
}

export interface RequestEndEvent {
  type: 'request-end';
  requestId: string;
  decisionId: string;
  tenant: string;
  route: string;
  /** Target that produced the answer, or null when every attempt failed. */
  target: string | null;
  model: string | null;
  status: number;
  errorCode: string | null;
  stream: boolean;
  attempts: number;
  fallbacks: number;
  latencyMs: number;
  ttftMs: number | null;
  usage: Usage | null;
  costMicroUsd: number;
  decision: Decision;
  /** The request's features, for learning sinks (drift, estimators); never logged. */
  features: Features;
  /** Target the policy put first (before any fallback), or null when it planned none. */
  chosen?: string | null;
  /** When a cascade's panel ran: what its answers showed and whether the first stood. */
  panel?: PanelJudgement;
  /** The caller's tier (segments, quality floors). */
  tier?: string;
  /** The request and (non-streaming) response, by reference, for implicit-feedback sinks; never logged. */
  request?: ChatRequest;
  response?: ChatResponse;
}

export type GatewayEvent = AttemptStartEvent | AttemptEndEvent | RequestEndEvent;

/** Receives events; must not block or throw (the emitter isolates failures). */
export type EventSink = (event: GatewayEvent) => void;
