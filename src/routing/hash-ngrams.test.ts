import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadJsonl } from '../datasets/load-jsonl.js';
import { hashNgrams, NGRAM_BUCKETS } from './hash-ngrams.js';
import { mulberry32 } from './logistic-model.js';

const ROUTERBENCH = fileURLToPath(new URL('../../../../shared/data/routerbench/routerbench.jsonl.gz', import.meta.url));

/** The definition, written plainly (regex words, a Map, a sort): the fast path must agree with it exactly. */
const reference = (text: string): { indices: number[]; values: number[] } => {
  const read = text.length > 1_500 ? `${text.slice(0, 300)} ${text.slice(-1_200)}` : text;
  const fnv = (word: string): number => {
    let h = 0x811c9dc5;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
    return h >>> 0;
  };
  // Word characters: ASCII letters, digits, underscore and any non-ASCII code unit; only ASCII is lower-cased.
  const words = (read.match(/[A-Za-z0-9_\u0080-\uffff]+/g) ?? []).map((w) => fnv(w.replace(/[A-Z]/g, (c) => c.toLowerCase())));
  const counts = new Map<number, number>();
  const add = (b: number): void => void counts.set(b, (counts.get(b) ?? 0) + 1);
  words.forEach((w, i) => {
    add(w % NGRAM_BUCKETS);
    if (i > 0) add((Math.imul((words[i - 1] ?? 0) ^ w, 0x01000193) >>> 0) % NGRAM_BUCKETS);
  });
  const indices = [...counts.keys()].sort((a, b) => a - b);
  const norm = Math.sqrt(indices.reduce((s, i) => s + (counts.get(i) ?? 0) ** 2, 0)) || 1;
  return { indices, values: Array.from(Float32Array.from(indices, (i) => (counts.get(i) ?? 0) / norm)) };
};

const texts = async (): Promise<string[]> => {
  const random = mulberry32(3);
  const alphabet = ['ab', 'CD', 'ef', '12', '_', 'é', 'É', '東京', '😀', ',', '.', '\n', ' ', ' ', 'the', 'The'];
  const out = ['', ' ', 'a', 'x'.repeat(5_000), 'a b '.repeat(3_000)];
  for (let k = 0; k < 3_000; k++) out.push(Array.from({ length: Math.floor(random() * 1_200) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
  if (existsSync(ROUTERBENCH)) for (const r of await loadJsonl(ROUTERBENCH)) out.push(r.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n'));
  return out;
};

test('hashed n-grams equal the plain definition (head + tail of long texts, sorted buckets, l2-normalised counts)', async () => {
  for (const text of await texts()) {
    const got = hashNgrams(text);
    const want = reference(text);
    assert.deepEqual(Array.from(got.indices), want.indices, text.slice(0, 80));
    assert.deepEqual(Array.from(got.values), want.values, text.slice(0, 80));
  }
});
