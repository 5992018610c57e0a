/**
 * A cheap language guess from scripts and stop words: enough to route (e.g. non-English to a
 * multilingual model), not a linguistic tool. 'und' when unsure.
 */
const SCRIPTS: ReadonlyArray<[string, RegExp]> = [
  ['zh', /[\u4e00-\u9fff]/g],
  ['ja', /[\u3040-\u30ff]/g],
  ['ko', /[\uac00-\ud7af]/g],
  ['ru', /[\u0400-\u04ff]/g],
  ['ar', /[\u0600-\u06ff]/g],
  ['hi', /[\u0900-\u097f]/g],
];
const STOP_WORDS: ReadonlyArray<[string, RegExp]> = [
  ['en', /\b(the|and|is|of|to|what|how|you)\b/gi],
  ['fr', /\b(le|la|les|et|est|une|des|pour|vous)\b/gi],
  ['de', /\b(der|die|das|und|ist|nicht|ein|eine|ich)\b/gi],
  ['es', /\b(el|los|las|y|es|una|para|por|que)\b/gi],
];

export const detectLanguage = (text: string): string => {
  const sample = text.slice(0, 1_000);
  if (sample.trim() === '') return 'und';
  for (const [lang, re] of SCRIPTS) if ((sample.match(re)?.length ?? 0) > sample.length * 0.2) return lang;
  let best = 'und';
  let bestCount = 0;
  for (const [lang, re] of STOP_WORDS) {
    const n = sample.match(re)?.length ?? 0;
    if (n > bestCount) {
      best = lang;
      bestCount = n;
    }
  }
  return bestCount >= 2 ? best : 'und';
};
