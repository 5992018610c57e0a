/**
 * A cheap language guess from scripts and stop words: enough to route (e.g. non-English to a
 * multilingual model), not a linguistic tool. 'und' when unsure. The counting happens in the one
 * pass of scan-text.ts over the first LANGUAGE_SAMPLE characters; this file holds the data and the
 * decision.
 */
export const SCRIPTS: ReadonlyArray<[lang: string, from: number, to: number]> = [
  ['zh', 0x4e00, 0x9fff], ['ja', 0x3040, 0x30ff], ['ko', 0xac00, 0xd7af], ['ru', 0x0400, 0x04ff], ['ar', 0x0600, 0x06ff], ['hi', 0x0900, 0x097f],
];
const STOP_WORDS: ReadonlyArray<[string, string]> = [
  ['en', 'the and is of to what how you'],
  ['fr', 'le la les et est une des pour vous'],
  ['de', 'der die das und ist nicht ein eine ich'],
  ['es', 'el los las y es una para por que'],
];
export const LANGS = STOP_WORDS.map(([lang]) => lang);
/** Stop words with the bit of their language (bit l = LANGS[l]); a word in two languages appears twice. */
export const STOP_WORD_BITS: ReadonlyArray<[string, number]> = STOP_WORDS.flatMap(([, words], l) => words.split(' ').map((w): [string, number] => [w, 1 << l]));
export const LANGUAGE_SAMPLE = 1_000;

/**
 * The guess from the counts over a sample of `n` characters: a script holding over a fifth of
 * them, else the language with the most stop words (two at least).
 */
export const decideLanguage = (scripts: ArrayLike<number>, words: ArrayLike<number>, n: number, blank: boolean): string => {
  if (blank) return 'und';
  for (let s = 0; s < SCRIPTS.length; s++) if ((scripts[s] ?? 0) > n * 0.2) return SCRIPTS[s]?.[0] ?? 'und';
  let best = 'und';
  let bestCount = 0;
  for (let l = 0; l < LANGS.length; l++) {
    const count = words[l] ?? 0;
    if (count > bestCount) [best, bestCount] = [LANGS[l] ?? 'und', count];
  }
  return bestCount >= 2 ? best : 'und';
};
