import type { TaskType } from '../spec/routing.js';

/**
 * The task-type and marker regexes, each with the words and characters it cannot match without.
 * One scan of the text (scan-text.ts) finds which of those are present; only then does the regex
 * run. A regex whose trigger is absent cannot match, so the result is the regex's own, at the cost
 * of one pass instead of thirteen (most prompts trigger two or three).
 *
 * Triggers are necessary conditions: every alternative of a regex starts with one of its words
 * (as a whole run of ASCII letters, case-insensitive) or contains one of its characters. Keep them
 * so when editing a regex; extract-features.test.ts checks gated against ungated on RouterBench.
 */
export const CH_BACKTICK = 1;
export const CH_QUESTION = 2;
export const CH_BACKSLASH = 4;
export const CH_PERCENT = 8;
/** `=>` */
export const CH_ARROW = 16;
/** A digit, optional whitespace, then one of `-+*\/^=<>`. */
export const CH_DIGIT_OP = 32;

export interface GatedRegex {
  re: RegExp;
  /** Lower-case words, space-separated. */
  words: string;
  /** CH_* bits. */
  chars: number;
}

const rule = (re: RegExp, words: string, chars = 0): GatedRegex => ({ re, words, chars });

/** First match wins; 'chat' when none does. */
export const TASK_RULES: ReadonlyArray<readonly [TaskType, GatedRegex]> = [
  ['translation', rule(/\btranslat(e|ion)\b|\binto (english|french|german|spanish|chinese|japanese)\b/i, 'translate translation into')],
  ['sentiment', rule(/\bsentiment\b|\b(positive|negative) or (negative|positive|neutral)\b/i, 'sentiment positive negative')],
  ['classification', rule(/\bclassif(y|ication)\b|\bcategori[sz]e\b|\bwhich (category|label|class)\b|\blabel (this|the following)\b/i, 'classify classification categorise categorize which label')],
  ['extraction', rule(/\bextract\b|\blist (all|every) (the )?\w+ (mentioned|in)\b|\bpull out\b|\bparse (the|this)\b/i, 'extract list pull parse')],
  ['summarization', rule(/\bsummar(y|ise|ize)\b|\btl;?dr\b/i, 'summary summarise summarize tl tldr')],
  ['code', rule(/```|\bdef \w+\(|\bfunction \w+\(|\bwrite (a |an )?(python|javascript|typescript|java|c\+\+|rust|go|sql)\b|\bimplement\b.*\b(function|class|method)\b|\bcode\b/i, 'def function write implement code', CH_BACKTICK)],
  ['math', rule(/\b(solve|calculate|compute|evaluate)\b.*\d|\d\s*[-+*/^=]\s*\d|\bequation\b|\bintegral\b|\bderivative\b/i, 'solve calculate compute evaluate equation integral derivative', CH_DIGIT_OP)],
  ['reasoning', rule(/\bstep[- ]by[- ]step\b|\bprove\b|\breason(ing)?\b|\bwhy does\b|\blogic(al)? puzzle\b|\bclue\b/i, 'step prove reason reasoning why logic logical clue')],
  ['writing', rule(/\b(write|draft|compose) (a|an|the) (story|poem|essay|email|letter|blog|article|speech)\b/i, 'write draft compose')],
  ['qa', rule(/\?\s*$|^(what|who|when|where|which|how|is|are|does|do|can)\b/im, 'what who when where which how is are does do can', CH_QUESTION)],
];

export const REASONING = rule(/\b(step[- ]by[- ]step|think (carefully|step)|prove|derive|justify|explain why|analy[sz]e|trade-?offs?|reason)\b/i, 'step think prove derive justify explain analyse analyze trade tradeoff tradeoffs reason');
export const CODE = rule(/```|\b(def|class|import|return|function|const|let|var|public|static|void|#include)\b.*[({;:=]|=>|\bSELECT\b.+\bFROM\b/, 'def class import return function const let var public static void include select', CH_BACKTICK | CH_ARROW);
export const MATH = rule(/\d\s*[-+*/^=<>]\s*\d|\\frac|\\sum|\\int|\bsqrt\b|\b\d+\s*%|\b(equation|integral|derivative|probability|theorem)\b/i, 'sqrt equation integral derivative probability theorem', CH_DIGIT_OP | CH_BACKSLASH | CH_PERCENT);

/** Every gated regex in bit order: bit i of a scan's word mask means "a word of GATED[i] is present". */
export const GATED: readonly GatedRegex[] = [...TASK_RULES.map(([, r]) => r), REASONING, CODE, MATH];
export const REASONING_BIT = GATED.indexOf(REASONING);
export const CODE_BIT = GATED.indexOf(CODE);
export const MATH_BIT = GATED.indexOf(MATH);

/** Whether `g` (bit `i` of GATED) can match, given a scan's word bits and character bits. */
export const possible = (g: GatedRegex, i: number, wordBits: number, charBits: number): boolean => (wordBits & (1 << i)) !== 0 || (g.chars & charBits) !== 0;

/** The first task rule that matches `text`, given its scan. */
export const detectTask = (text: string, wordBits: number, charBits: number): TaskType => {
  for (let i = 0; i < TASK_RULES.length; i++) {
    const [task, g] = TASK_RULES[i]!;
    if (possible(g, i, wordBits, charBits) && g.re.test(text)) return task;
  }
  return 'chat';
};

/** Whether GATED[bit] matches `text`, given its scan. */
export const matchesGated = (bit: number, text: string, wordBits: number, charBits: number): boolean => {
  const g = GATED[bit];
  return g !== undefined && possible(g, bit, wordBits, charBits) && g.re.test(text);
};
