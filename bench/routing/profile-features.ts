/**
 * Where feature extraction spends its time: each step alone over the same RouterBench prompts
 * (median and p99 µs), to show which one a faster hot path must fix.
 *
 *   npm run build && node dist/bench/routing/profile-features.js
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { countTokens } from 'gpt-tokenizer';
import { loadJsonl } from '../../src/datasets/load-jsonl.js';
import { extractFeatures, windowOf } from '../../src/routing/extract-features.js';
import { hashNgrams } from '../../src/routing/hash-ngrams.js';
import { scanText } from '../../src/routing/scan-text.js';
import { prepareRecords } from '../../src/eval/prepare-records.js';
import { servedArtifact, trainRouter } from '../../src/eval/train-router.js';
import { qualityTableOf } from '../../src/routing/quality-table.js';
import { CODE_BIT, GATED, MATH_BIT, REASONING_BIT, TASK_RULES, detectTask, matchesGated } from '../../src/routing/task-rules.js';
import { toTextVector } from '../../src/routing/text-vector.js';

const DATA = fileURLToPath(new URL('../../../../shared/data/routerbench/routerbench.jsonl.gz', import.meta.url));
const ROUNDS = 10_000;

const main = async (): Promise<void> => {
  if (!existsSync(DATA)) throw new Error(`RouterBench not found at ${DATA}`);
  const records = await loadJsonl(DATA);
  const texts = records.filter((r) => r.split === 'test').map((r) => r.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n'));
  // The text models only (no clusters): both layouts compute exactly the same numbers.
  const artifact = servedArtifact(trainRouter(prepareRecords(records.filter((r) => r.split === 'train')), { clusters: false }));
  const table = qualityTableOf(artifact);
  const vectors = new Map(texts.map((t) => [t, toTextVector(extractFeatures({ model: 'x', messages: [{ role: 'user', content: t }], stream: false, includeUsage: false }))]));
  const out = new Float64Array(table.models.length);
  const windows = new Map(texts.map((t) => [t, windowOf(t)]));
  const scans = new Map(texts.map((t) => [t, scanText(windowOf(t))]));
  const gated = (t: string): unknown => {
    const w = windows.get(t) ?? '';
    const { wordBits, charBits } = scans.get(t) ?? { wordBits: 0, charBits: 0 };
    return [detectTask(w, wordBits, charBits), ...[REASONING_BIT, CODE_BIT, MATH_BIT].map((b) => matchesGated(b, w, wordBits, charBits))];
  };
  const ungated = (t: string): unknown => {
    const w = windows.get(t) ?? '';
    return [TASK_RULES.find(([, g]) => g.re.test(w))?.[0], ...[REASONING_BIT, CODE_BIT, MATH_BIT].map((b) => GATED[b]?.re.test(w))];
  };
  const steps: Array<[string, (t: string) => unknown]> = [
    ['extractFeatures (all)', (t) => extractFeatures({ model: 'x', messages: [{ role: 'user', content: t }], stream: false, includeUsage: false })],
    ['BPE count, first 400 chars', (t) => countTokens(t.slice(0, 400))],
    ['one scan of the window: language + regex triggers', (t) => scanText(windows.get(t) ?? '')],
    ['task + marker regexes after the scan (gated)', gated],
    ['task + marker regexes, all run (as before the scan)', ungated],
    ['hashed n-grams', (t) => hashNgrams(t)],
    ['P(quality) of 11 models, one weight array each', (t) => { const x = vectors.get(t); if (x) for (const m of artifact.models.values()) m.quality.predict(x); }],
    ['P(quality) of 11 models, one table (a cache line per feature)', (t) => { const x = vectors.get(t); if (x) table.predictAll(x, out); }],
  ];
  console.log('| step | p50 µs | p99 µs |\n|---|---:|---:|');
  for (const [name, fn] of steps) {
    const times: number[] = [];
    for (let i = 0; i < ROUNDS + 1_000; i++) {
      const t = texts[i % texts.length] ?? '';
      const t0 = process.hrtime.bigint();
      fn(t);
      if (i >= 1_000) times.push(Number(process.hrtime.bigint() - t0) / 1_000);
    }
    times.sort((a, b) => a - b);
    console.log(`| ${name} | ${(times[Math.floor(times.length / 2)] ?? 0).toFixed(1)} | ${(times[Math.floor(times.length * 0.99)] ?? 0).toFixed(1)} |`);
  }
};

await main();
