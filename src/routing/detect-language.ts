/**
 * A cheap language guess from scripts and stop words: enough to route (e.g. non-English to a
 * multilingual model), not a linguistic tool. 'und' when unsure. One pass over the first 1,000
 * characters, no regex and no substrings: it runs on every request.
 */
const SCRIPTS: ReadonlyArray<[lang: string, from: number, to: number]> = [
  ['zh', 0x4e00, 0x9fff], ['ja', 0x3040, 0x30ff], ['ko', 0xac00, 0xd7af], ['ru', 0x0400, 0x04ff], ['ar', 0x0600, 0x06ff], ['hi', 0x0900, 0x097f],
];
const STOP_WORDS: ReadonlyArray<[string, string]> = [
  ['en', 'the and is of to what how you'],
  ['fr', 'le la les et est une des pour vous'],
  ['de', 'der die das und ist nicht ein eine ich'],
  ['es', 'el los las y es una para por que'],
];
const LANGS = STOP_WORDS.map(([lang]) => lang);
const OFFSET = 0x811c9dc5;
const PRIME = 0x01000193;
const fnv = (word: string): number => {
  let h = OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), PRIME);
  return h >>> 0;
};
/** Stop word hash → bit mask of the languages it belongs to ('es' shares 'es'/'que' with none here). */
const STOP = new Map<number, number>();
STOP_WORDS.forEach(([, words], i) => {
  for (const w of words.split(' ')) STOP.set(fnv(w), (STOP.get(fnv(w)) ?? 0) | (1 << i));
});
const SAMPLE = 1_000;

const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

export const detectLanguage = (text: string): string => {
  const n = Math.min(text.length, SAMPLE);
  const script = new Array<number>(SCRIPTS.length).fill(0);
  const words = new Array<number>(LANGS.length).fill(0);
  let blank = true;
  let h = OFFSET;
  let len = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    if (isLetter(c)) {
      h = Math.imul(h ^ (c | 32), PRIME);
      len += 1;
      blank = false;
      continue;
    }
    if (len > 0) {
      const mask = STOP.get(h >>> 0) ?? 0;
      for (let l = 0; mask !== 0 && l < LANGS.length; l++) if (mask & (1 << l)) words[l] = (words[l] ?? 0) + 1;
      h = OFFSET;
      len = 0;
    }
    if (c > 127) {
      blank = false;
      for (let s = 0; s < SCRIPTS.length; s++) {
        const [, from, to] = SCRIPTS[s]!;
        if (c >= from && c <= to) script[s] = (script[s] ?? 0) + 1;
      }
    } else if (c > 32) blank = false;
  }
  if (blank) return 'und';
  for (let s = 0; s < SCRIPTS.length; s++) if ((script[s] ?? 0) > n * 0.2) return SCRIPTS[s]?.[0] ?? 'und';
  let best = 'und';
  let bestCount = 0;
  words.forEach((count, l) => {
    if (count > bestCount) [best, bestCount] = [LANGS[l] ?? 'und', count];
  });
  return bestCount >= 2 ? best : 'und';
};
