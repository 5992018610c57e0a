import type { ChatResponse } from '../../spec/chat.js';
import type { PanelJudgement, PanelVerdict } from '../../spec/routing.js';

/**
 * The comparable core of a short answer, so two models' answers can be checked for agreement
 * (a cascade's panel: src/routing/policies/cascade-policy.ts, run by src/gateway/run-fallback-chain.ts;
 * replayed offline by src/eval/panel-curve.ts). null = nothing comparable: an empty or cut-off answer, or free text
 * longer than `maxChars`, where two models never word things alike.
 *
 * - Tool calls: the functions called and their arguments, as canonical JSON (key order ignored).
 * - JSON answers (objects, arrays): canonical JSON.
 * - JSON inside one Markdown code fence is JSON.
 * - Text: case, Unicode width, spacing and surrounding punctuation ignored (`**B.**` = `b`), a leading
 *   `answer:` / `the answer is` dropped; an option label, alone or with its text, is an option, and
 *   a bare label agrees with the same label given with its text (sameAnswer: `B` = `(B) Paris`, but
 *   `(B) Paris` ≠ `(B) London`).
 */
export const answerKey = (response: ChatResponse, maxChars: number): string | null => {
  const choice = response.choices[0];
  if (!choice || choice.finishReason === 'length' || choice.finishReason === 'content_filter') return null;
  const calls = choice.message.toolCalls;
  if (calls && calls.length > 0) return 'tools:' + JSON.stringify(calls.map((c) => [c.function.name, canonicalJsonText(c.function.arguments)]));
  const content = choice.message.content;
  return typeof content === 'string' ? textKey(content, maxChars) : null;
};

/** Quotes, brackets, emphasis and punctuation around an answer (a leading `.` is kept: `.5` is not `5`). */
const LEADING = /^[\s"'`*_([{<,;:!?]+/;
const TRAILING = /[\s"'`*_)\]}>.,;:!?]+$/;
const stripEdges = (t: string): string => t.replace(LEADING, '').replace(TRAILING, '');
const PREFIX = /^(?:the correct answer is|the answer is|final answer|answer)\b\s*[:-]?\s*/;
/** A whole answer inside one Markdown code fence. */
const FENCE = /^```[\w-]*\n([\s\S]*?)\n?```$/;
/** An option label alone (`b`), or followed by its text (`b) paris`, `1. london`). */
const OPTION = /^([a-z]|\d{1,2})(?:[).:\]] (.+))?$/;

/** The key of an answer's text (see answerKey). */
export const textKey = (text: string, maxChars: number): string | null => {
  let trimmed = text.trim();
  if (trimmed === '' || trimmed.length > maxChars) return null;
  trimmed = FENCE.exec(trimmed)?.[1]?.trim() ?? trimmed;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const json = canonicalJson(trimmed);
    if (json !== undefined) return 'json:' + json;
  }
  let t = stripEdges(trimmed.normalize('NFKC').toLowerCase().replace(/\s+/g, ' '));
  t = stripEdges(t.replace(PREFIX, ''));
  const option = OPTION.exec(t);
  if (option) {
    const rest = option[2] === undefined ? '' : stripEdges(option[2]);
    return `option:${option[1]}${rest === '' ? '' : '|' + rest}`;
  }
  return t === '' ? null : 'text:' + t;
};

/**
 * Whether two keys are the same answer: equal, or the same option where one names only its label
 * (`B` and `(B) Paris` agree; `(B) Paris` and `(B) London` do not, nor do `1. Paris` and `1. London`).
 */
export const sameAnswer = (a: string, b: string): boolean => {
  if (a === b) return true;
  if (!a.startsWith('option:') || !b.startsWith('option:')) return false;
  const [la, ra] = splitOption(a);
  const [lb, rb] = splitOption(b);
  return la === lb && (ra === '' || rb === '');
};

const splitOption = (key: string): [string, string] => {
  const bar = key.indexOf('|');
  return bar < 0 ? [key.slice(7), ''] : [key.slice(7, bar), key.slice(bar + 1)];
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
 * when every member answered with a key, `agree` if every two are the same answer (sameAnswer),
 * else `disagree`; otherwise the answers cannot be compared.
 */
export const panelVerdictOf = (keys: readonly (string | null)[], size: number): PanelVerdict => {
  if (keys.length !== size || keys.some((k) => k === null)) return 'incomparable';
  // Every pair: "same option" is not transitive (`B`, `B) Paris`, `B) London`).
  for (let i = 0; i < keys.length; i++) for (let j = i + 1; j < keys.length; j++) if (!sameAnswer(keys[i] as string, keys[j] as string)) return 'disagree';
  return 'agree';
};

/**
 * Whether the first answer stands: on agreement, never on disagreement, and as `incomparable` says
 * otherwise (when at least one member answered). The gateway (through panelAcceptor) and the offline
 * replay (src/eval/panel-curve.ts) both decide with this.
 */
export const panelAccepts = (verdict: PanelVerdict, answered: number, incomparable: 'escalate' | 'accept'): boolean =>
  verdict === 'agree' || (verdict === 'incomparable' && answered > 0 && incomparable === 'accept');

/** How a panel compares its members' answers (the `panel` options of a route's policy). */
export interface PanelAnswerOptions {
  maxAnswerChars: number;
  incomparable: 'escalate' | 'accept';
}

/** A panel of `size` members' verdict on the answers that came back, and whether the first stands (RoutingPlan.cascade.panel.judge). */
export const panelAcceptor = (size: number, o: PanelAnswerOptions) => (responses: readonly ChatResponse[]): PanelJudgement => {
  const verdict = panelVerdictOf(responses.map((r) => answerKey(r, o.maxAnswerChars)), size);
  return { verdict, accept: panelAccepts(verdict, responses.length, o.incomparable) };
};
