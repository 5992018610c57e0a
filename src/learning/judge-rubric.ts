/** The default rubric: a 1–10 grade on one line, which small judge models follow reliably. */
export const DEFAULT_RUBRIC = [
  'You are grading an AI assistant\'s answer to a user.',
  'Judge correctness first, then completeness and whether it follows the instructions.',
  '',
  '[Question]',
  '{question}',
  '',
  '[Answer]',
  '{answer}',
  '',
  'Reply with one line: "Score: N" where N is an integer from 1 (useless or wrong) to 10 (fully correct and helpful).',
].join('\n');

/** Fills `{question}` and `{answer}` (each at most `maxChars`, so a long answer cannot blow the judge's context or budget). */
export const renderRubric = (rubric: string, question: string, answer: string, maxChars = 8_000): string =>
  rubric.replaceAll('{question}', question.slice(0, maxChars)).replaceAll('{answer}', answer.slice(0, maxChars));

const PATTERNS: readonly RegExp[] = [
  /"score"\s*:\s*(-?\d+(?:\.\d+)?)/i,
  /\bscore\b\s*(?:is|of|=|:)?\s*\**\s*(-?\d+(?:\.\d+)?)/i,
  /\brating\b\s*(?:is|of|=|:)?\s*\**\s*(-?\d+(?:\.\d+)?)/i,
  /(-?\d+(?:\.\d+)?)\s*(?:\/|out of)\s*\d+/i,
  /\[\[(-?\d+(?:\.\d+)?)\]\]/,
  /^\s*(-?\d+(?:\.\d+)?)\s*$/m,
];

/**
 * A judge's grade from free text, normalised onto [0,1] by the rubric's scale; null when no grade
 * in the scale can be found (the reply is then ignored, never guessed). Judges rarely follow the
 * format exactly: JSON, "Score: 7", "7/10", "[[7]]" and a bare number are all understood, the
 * first match in that order of reliability winning.
 */
export const parseJudgeScore = (text: string, scale: { min: number; max: number }): number | null => {
  for (const re of PATTERNS) {
    const m = re.exec(text);
    if (!m?.[1]) continue;
    const v = Number(m[1]);
    if (!Number.isFinite(v) || v < scale.min || v > scale.max) continue;
    return (v - scale.min) / (scale.max - scale.min);
  }
  return null;
};
