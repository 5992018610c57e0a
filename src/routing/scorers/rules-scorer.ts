import type { ChatResponse } from '../../spec/chat.js';
import type { AnswerCheckInput, AnswerScore, AnswerScorer } from './answer-scorer.js';
import { isJson } from './is-json.js';

export const RULE_CHECKS = ['empty', 'refusal', 'truncated', 'invalid-json'] as const;
export type RuleCheck = (typeof RULE_CHECKS)[number];

/** Openings of a refusal; looked for only at the start of the answer (a later "I cannot" is content). */
const REFUSAL = /^\s*(i'?m sorry|i am sorry|sorry, (but )?i|i apologi[sz]e|i (cannot|can't|can not|won't|am unable to|am not able to)|as an ai\b|unfortunately,? i)/i;

const textOf = (r: ChatResponse): string => {
  const m = r.choices[0]?.message;
  return typeof m?.content === 'string' ? m.content : '';
};

const failed = (check: RuleCheck, { response, features }: AnswerCheckInput): boolean => {
  const choice = response.choices[0];
  const text = textOf(response);
  const hasToolCalls = (choice?.message.toolCalls?.length ?? 0) > 0;
  switch (check) {
    case 'empty':
      return !hasToolCalls && text.trim() === '';
    case 'refusal':
      return REFUSAL.test(text.slice(0, 200)) || choice?.finishReason === 'content_filter';
    case 'truncated':
      return choice?.finishReason === 'length';
    case 'invalid-json':
      return features.jsonMode && !hasToolCalls && !isJson(text);
  }
};

/**
 * The rules scorer: an answer is acceptable (quality 1) unless it is empty, a refusal, cut by the
 * max-tokens limit, or not JSON when JSON was asked for (quality 0, the failed check as reason).
 */
export const createRulesScorer = (checks: readonly RuleCheck[] = RULE_CHECKS): AnswerScorer => ({
  name: 'rules',
  score: (input): AnswerScore => {
    for (const c of checks) if (failed(c, input)) return { quality: 0, reason: c };
    return { quality: 1, reason: 'ok' };
  },
});
