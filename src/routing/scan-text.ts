import { LANGS, LANGUAGE_SAMPLE, SCRIPTS, STOP_WORD_BITS, decideLanguage } from './detect-language.js';
import { CH_ARROW, CH_BACKSLASH, CH_BACKTICK, CH_DIGIT_OP, CH_PERCENT, CH_QUESTION, GATED } from './task-rules.js';
import { FNV_OFFSET, FNV_PRIME, createWordTable } from './word-table.js';

/**
 * One pass over a prompt's window for everything word-level the features need: the language
 * guess (scripts and stop words over the first LANGUAGE_SAMPLE characters) and which task and
 * marker regexes can match (their trigger words and characters, task-rules.ts). Words are runs of
 * ASCII letters, hashed lower-case as they are read; one table lookup per word serves both.
 */
export interface TextScan {
  language: string;
  /** Bit i: a trigger word of GATED[i] is present. */
  wordBits: number;
  /** CH_* bits present. */
  charBits: number;
}

const LANG_BITS = LANGS.length;
const LANG_MASK = (1 << LANG_BITS) - 1;
const TABLE = createWordTable([
  ...STOP_WORD_BITS,
  ...GATED.flatMap((g, i) => g.words.split(' ').map((w): [string, number] => [w, 1 << (LANG_BITS + i)])),
]);
/** Scratch counts (a scan is synchronous, so calls never overlap). */
const scripts = new Int32Array(SCRIPTS.length);
const words = new Int32Array(LANGS.length);

/** Per ASCII code unit: the lower-cased letter, or 0 (a table lookup per character is half the cost of range tests). */
const LETTER = new Uint8Array(128);
for (let c = 65; c <= 90; c++) LETTER[c] = c | 32;
for (let c = 97; c <= 122; c++) LETTER[c] = c;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** JavaScript's \s within ASCII; anything non-ASCII is let through too (a superset is safe for a trigger). */
const isSpaceLike = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || c > 127;
const isOperator = (c: number): boolean => c === 45 || c === 43 || c === 42 || c === 47 || c === 94 || c === 61 || c === 60 || c === 62;

const countStopWords = (bits: number): void => {
  for (let l = 0; l < LANG_BITS; l++) if (bits & (1 << l)) words[l] = (words[l] ?? 0) + 1;
};

const countScript = (c: number): void => {
  for (let s = 0; s < SCRIPTS.length; s++) {
    const [, from, to] = SCRIPTS[s]!;
    if (c >= from && c <= to) scripts[s] = (scripts[s] ?? 0) + 1;
  }
};

/** A single character's trigger bits, given the character before it and whether a digit precedes it (whitespace aside). */
const charTrigger = (c: number, prev: number, afterDigit: boolean): number => {
  if (c === 96) return CH_BACKTICK;
  if (c === 63) return CH_QUESTION;
  if (c === 92) return CH_BACKSLASH;
  if (c === 37) return CH_PERCENT;
  let bits = 0;
  if (c === 62 && prev === 61) bits |= CH_ARROW;
  if (afterDigit && isOperator(c)) bits |= CH_DIGIT_OP;
  return bits;
};

export const scanText = (text: string): TextScan => {
  const n = text.length;
  // Language counts read [0, sample): a word running past it counts as cut there.
  const sample = Math.min(n, LANGUAGE_SAMPLE);
  scripts.fill(0);
  words.fill(0);
  let blank = true;
  let wordBits = 0;
  let charBits = 0;
  let h = FNV_OFFSET;
  let len = 0;
  let prev = 0;
  let afterDigit = false;
  // Letters (most characters) only extend the hash; the rest is done once per word or per symbol.
  for (let i = 0; i <= n; i++) {
    if (i === sample && sample < n && len > 0) countStopWords(TABLE.get(h >>> 0) & LANG_MASK);
    const c = i < n ? text.charCodeAt(i) : 32;
    const letter = c < 128 ? (LETTER[c] ?? 0) : 0;
    if (letter !== 0) {
      h = Math.imul(h ^ letter, FNV_PRIME);
      len += 1;
      continue;
    }
    if (len > 0) {
      // Most words are in no list: one probe of an empty slot.
      const bits = TABLE.get(h >>> 0);
      if (bits !== 0) {
        wordBits |= bits >>> LANG_BITS;
        if (i < sample || sample === n) countStopWords(bits & LANG_MASK);
      }
      if (i - len < sample) blank = false;
      h = FNV_OFFSET;
      len = 0;
      prev = 65;
      afterDigit = false;
    }
    // A space (most separators) triggers nothing, is not text, and keeps a digit's reach.
    if (c === 32) {
      prev = c;
      continue;
    }
    if (i < sample) {
      if (c > 127) {
        blank = false;
        countScript(c);
      } else if (c > 32) blank = false;
    }
    charBits |= charTrigger(c, prev, afterDigit);
    if (isDigit(c)) afterDigit = true;
    else if (!isSpaceLike(c)) afterDigit = false;
    prev = c;
  }
  return { language: decideLanguage(scripts, words, sample, blank), wordBits, charBits };
};
