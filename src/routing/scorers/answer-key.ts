import type { ChatResponse } from '../../spec/chat.js';

/**
 * The comparable core of a short answer, so two models' answers can be checked for agreement
 * (a cascade's panel: src/routing/policies/cascade-policy.ts, run by src/gateway/run-fallback-chain.ts;
 * replayed offline by src/eval/panel-curve.ts). null = nothing comparable: an empty or cut-off answer, or free text
 * longer than `maxChars`, where two models never word things alike.
 *
 * - Tool calls: the functions called and their arguments, as canonical JSON (key order ignored).
 * - JSON answers (objects, arrays): canonical JSON.
 * - Text: case, Unicode width, spacing and surrounding punctuation ignored (`**B.**` = `b`), a leading
 *   `answer:` / `the answer is` dropped, and an option label followed by its text reduced to the label
 *   (`(B) Paris` = `B`), so multiple-choice answers compare by the option chosen.
 */
export const answerKey = (response: ChatResponse, maxChars: number): string | null => {
  const choice = response.choices[0];
  if (!choice || choice.finishReason === 'length' || choice.finishReason === 'content_filter') return null;
  const calls = choice.message.toolCalls;
  if (calls && calls.length > 0) return 'tools:' + JSON.stringify(calls.map((c) => [c.function.name, canonicalJsonText(c.function.arguments)]));
  const content = choice.message.content;
  return typeof content === 'string' ? textKey(content, maxChars) : null;
};

/** Quotes, brackets, emphasis and punctuation around an answer. */
const EDGE = /^[\s"'`*_([{<.,;:!?]+|[\s"'`*_)\]}>.,;:!?]+$/g;

/** The key of an answer's text (see answerKey). */
export const textKey = (text: string, maxChars: number): string | null => {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > maxChars) return null;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const json = canonicalJson(trimmed);
    if (json !== undefined) return 'json:' + json;
  }
  let t = trimmed.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
  t = t.replace(/^(?:final answer|answer|the answer is|the correct answer is)\s*[:\-]?\s*/, '');
  t = t.replace(EDGE, '');
  const option = /^([a-z]|\d{1,2})(?:[).:\]] .*)?$/.exec(t);
  if (option) return 'option:' + option[1];
  return t === '' ? null : 'text:' + t;
};

const sortKeys = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
};

const canonicalJson = (text: string): string | undefined => {
  try {
    return JSON.stringify(sortKeys(JSON.parse(text)));
  } catch {
    return undefined;
  }
};

/** Tool arguments that are not JSON still compare, as their trimmed text. */
const canonicalJsonText = (text: string): string => canonicalJson(text) ?? text.trim();

/**
 * A panel's verdict on its members' answer keys (one per member that answered, in member order):
 * when every member answered with a key, the first answer stands if all keys are equal, and
 * disagreement always escalates; otherwise (free text, a cut-off answer, a member failed) the answers
 * cannot be compared and `incomparable` decides. The gateway (src/routing/policies/cascade-policy.ts)
 * and the offline replay (src/eval/panel-curve.ts) both call this.
 */
export const panelVerdict = (keys: readonly (string | null)[], size: number, incomparable: 'escalate' | 'accept'): boolean => {
  if (keys.length === 0) return false;
  if (keys.length === size && keys.every((k) => k !== null)) return keys.every((k) => k === keys[0]);
  return incomparable === 'accept';
};

/** How a panel compares its members' answers (the `panel` options of a route's policy). */
export interface PanelAnswerOptions {
  maxAnswerChars: number;
  incomparable: 'escalate' | 'accept';
}

/** A panel of `size` members' verdict on the answers that came back (RoutingPlan.cascade.panel.accept). */
export const panelAcceptor = (size: number, o: PanelAnswerOptions) => (responses: readonly ChatResponse[]): boolean =>
  panelVerdict(responses.map((r) => answerKey(r, o.maxAnswerChars)), size, o.incomparable);

