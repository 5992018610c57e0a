import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ChatMessage, ChatResponse } from '../spec/chat.js';
import type { EventSink, RequestEndEvent } from '../spec/events.js';
import type { FeedbackRecord } from '../spec/learning.js';
import { isJson } from '../routing/scorers/is-json.js';
import { deferBatched } from './defer-batched.js';

export interface ImplicitSignalsDeps {
  recordFeedback(record: FeedbackRecord): void;
  now(): number;
  /** A request repeating a conversation within this window marks the earlier answer regenerated. */
  retryWindowMs: number;
  /** Repeats sooner than this are machine retries, not regenerates (0: every repeat counts). */
  retryMinGapMs?: number;
  /** Conversations remembered (oldest forgotten first). */
  maxConversations?: number;
  /** Defers work off the request path (default setImmediate); tests pass a synchronous one. */
  defer?(fn: () => void): void;
}

const textOf = (m: ChatMessage): string =>
  typeof m.content === 'string' ? m.content : (m.content ?? []).map((p) => ('text' in p ? p.text : '')).join('');

/** Conversations up to this many characters are their own key; longer ones are hashed. */
const PLAIN_KEY_CHARS = 256;

/**
 * The conversation a request continues: its messages without a trailing assistant turn (a client
 * regenerating an answer may or may not send the answer it is replacing). Built as one string and
 * hashed in one call (each native hash update costs about a microsecond); short ones, the common
 * case, are not hashed at all.
 */
export const conversationKey = (tenant: string, messages: readonly ChatMessage[]): string => {
  const end = messages.length > 0 && messages[messages.length - 1]?.role === 'assistant' ? messages.length - 1 : messages.length;
  let text = tenant;
  for (let i = 0; i < end; i++) {
    const m = messages[i] as ChatMessage;
    text += `\u0000${m.role}\u0001${textOf(m)}`;
  }
  return text.length <= PLAIN_KEY_CHARS ? `=${text}` : `#${createHash('sha1').update(text).digest('base64')}`;
};

const answerText = (r: ChatResponse): string => r.choices.map((c) => textOf(c.message)).join('');
/** The signals one finished request gives about itself (not the regenerate one, which needs history). */
export const ownSignals = (e: RequestEndEvent): Array<Pick<FeedbackRecord, 'metric' | 'value' | 'target'>> => {
  const out: Array<Pick<FeedbackRecord, 'metric' | 'value' | 'target'>> = [];
  // The policy's first choice failed (the request fell back, or nothing answered).
  if (e.chosen && (e.fallbacks > 0 || e.target === null) && e.status !== 499) out.push({ metric: 'provider_error', value: 1, target: e.chosen });
  const r = e.response;
  if (r) {
    // A cap the client set itself is the answer length it asked for; a cap from the route's target
    // settings or the model's limit cutting the answer is the routing's doing.
    if (e.features.requestedMaxTokens === null && r.choices.some((c) => c.finishReason === 'length')) out.push({ metric: 'truncated', value: 1 });
    if (e.features.jsonMode && !isJson(answerText(r))) out.push({ metric: 'json_valid', value: 0 });
  }
  return out;
};

/**
 * Implicit feedback from traffic itself, off the request path (work is deferred): a regenerate or
 * retry of the same conversation within the window, invalid JSON when JSON mode was asked, a
 * provider error on the chosen target, an answer cut by max tokens. Each becomes feedback with
 * source `implicit` through recordFeedback, like any other.
 */
export const createImplicitSignalsSink = (deps: ImplicitSignalsDeps): EventSink => {
  const max = deps.maxConversations ?? 50_000;
  const minGap = deps.retryMinGapMs ?? 0;
  const defer = deps.defer ?? deferBatched();
  // Oldest conversation out first, in O(1) (a Map evicted from its front is not: src/learning/pending-decisions.ts).
  const recent = new LRUCache<string, { decisionId: string; tenant: string; ts: number }>({ max });
  const emit = (decisionId: string, tenant: string, s: Pick<FeedbackRecord, 'metric' | 'value' | 'target'>): void => {
    deps.recordFeedback({ decisionId, tenant, source: 'implicit', ts: deps.now(), metric: s.metric, value: s.value, ...(s.target ? { target: s.target } : {}) });
  };
  const process = (e: RequestEndEvent): void => {
    for (const s of ownSignals(e)) emit(e.decisionId, e.tenant, s);
    if (deps.retryWindowMs <= 0 || !e.request || e.request.messages.length === 0) return;
    const key = conversationKey(e.tenant, e.request.messages);
    const now = deps.now();
    const before = recent.peek(key);
    const gap = before ? now - before.ts : -1;
    if (before && before.decisionId !== e.decisionId && gap >= minGap && gap <= deps.retryWindowMs) {
      emit(before.decisionId, before.tenant, { metric: 'regenerated', value: 1 });
    }
    recent.set(key, { decisionId: e.decisionId, tenant: e.tenant, ts: now });
  };
  return (e) => {
    if (e.type === 'request-end' && e.status !== 499) defer(() => process(e));
  };
};
