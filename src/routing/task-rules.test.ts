import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadJsonl } from '../datasets/load-jsonl.js';
import { mulberry32 } from './logistic-model.js';
import { scanText } from './scan-text.js';
import { GATED, TASK_RULES, detectTask, possible } from './task-rules.js';

const ROUTERBENCH = fileURLToPath(new URL('../../../../shared/data/routerbench/routerbench.jsonl.gz', import.meta.url));

/** Material that sits on each trigger's edge: case, word boundaries, whitespace, non-ASCII look-alikes. */
const PIECES = [
  'translate', 'Translate ', 'into English', 'tl;dr', 'TL;DR', 'step-by-step', 'Step by step', 'why does', 'def foo(', 'function x(',
  'write c++x', 'write a python', 'implement a function', 'code', '```', '=>', 'SELECT a FROM b', '#include', 'x#include <', '3 + 4',
  '3\u00a0+\u00a04', '3\n=\n4', '7\t<', '5%', '50 %', '\\frac', 'sqrt', 'equation', 'Probability', '?', '?  \n', 'What ', '\nhow ', 'is ',
  'which category', 'label this', 'list all the items mentioned', 'pull out', 'parse the', 'sentiment', 'positive or negative', 'classify',
  'categorize', 'summarise', 'solve 2', 'compute x 9', 'prove', 'reasoning', 'logical puzzle', 'clue', 'write a poem', 'compose the letter',
  'trade-offs', 'tradeoff', 'analyze', 'think carefully', 'explain why', 'let x = 1;', 'return (', 'class A {', 'the ', 'und ', 'que ',
  '東京', 'Привет', 'ſ', 'K', 'é', 'İ', '_', '1', ' ', '\n', '\t', 'x', '\u2028', '<', '>', '=', '-', '^', '/', '*',
];

const fuzz = (count: number): string[] => {
  const random = mulberry32(7);
  return Array.from({ length: count }, (_, k) => {
    let s = '';
    const n = 1 + Math.floor(random() * (k % 3 === 0 ? 300 : 12));
    for (let i = 0; i < n; i++) s += PIECES[Math.floor(random() * PIECES.length)] ?? '';
    return s;
  });
};

const corpus = async (): Promise<string[]> => {
  const texts = fuzz(20_000);
  if (existsSync(ROUTERBENCH)) {
    for (const r of await loadJsonl(ROUTERBENCH)) texts.push(r.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n'));
  }
  return texts;
};

test('triggers are necessary: a regex whose trigger the scan did not see never matches', async () => {
  for (const text of await corpus()) {
    const { wordBits, charBits } = scanText(text);
    GATED.forEach((g, i) => {
      if (g.re.test(text)) assert.ok(possible(g, i, wordBits, charBits), `${g.re.source} matched ${JSON.stringify(text.slice(0, 200))} without its trigger`);
    });
  }
});

test('the gated task detector returns what the plain regex cascade returns', async () => {
  const ungated = (text: string): string => TASK_RULES.find(([, g]) => g.re.test(text))?.[0] ?? 'chat';
  const seen = new Set<string>();
  for (const text of await corpus()) {
    const { wordBits, charBits } = scanText(text);
    const task = detectTask(text, wordBits, charBits);
    assert.equal(task, ungated(text), text.slice(0, 200));
    seen.add(task);
  }
  assert.equal(seen.size, TASK_RULES.length + 1, 'the corpus reaches every task type');
});

test('language counts stop at the sample edge (a word across it counts as cut) while triggers read whole words', () => {
  assert.equal(scanText(`${'-'.repeat(993)} is theory`).language, 'en'); // "the|ory" is cut to "the"
  assert.equal(scanText(`${'-'.repeat(994)} is theory`).language, 'und');
  assert.equal(scanText(`${'- '.repeat(497)}the of is`).language, 'en');
  assert.equal(scanText(`${'- '.repeat(498)}the of is`).language, 'und');
  assert.equal(scanText(`${'-'.repeat(799)}${'中文'.repeat(150)}`).language, 'zh'); // 201 of 1,000
  assert.equal(scanText(`${'-'.repeat(800)}${'中文'.repeat(150)}`).language, 'und'); // 200 of 1,000
  const { wordBits, charBits } = scanText(`${'-'.repeat(995)} translate this`);
  assert.equal(detectTask(`${'-'.repeat(995)} translate this`, wordBits, charBits), 'translation');
});
