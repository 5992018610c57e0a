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
import { detectLanguage } from '../../src/routing/detect-language.js';
import { extractFeatures } from '../../src/routing/extract-features.js';
import { hashNgrams } from '../../src/routing/hash-ngrams.js';
import { prepareRecords } from '../../src/eval/prepare-records.js';
import { servedArtifact, trainRouter } from '../../src/eval/train-router.js';
import { qualityTableOf } from '../../src/routing/quality-table.js';
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
  const steps: Array<[string, (t: string) => unknown]> = [
    ['extractFeatures (all)', (t) => extractFeatures({ model: 'x', messages: [{ role: 'user', content: t }], stream: false, includeUsage: false })],
    ['BPE count, first 400 chars', (t) => countTokens(t.slice(0, 400))],
    ['language guess', (t) => detectLanguage(t)],
    ['hashed n-grams', (t) => hashNgrams(t)],
    ['P(quality) of 11 models, one weight array each', (t) => { const x = vectors.get(t); if (x) for (const m of artifact.models.values()) m.quality.predict(x); }],
    ['P(quality) of 11 models, interleaved weights', (t) => { const x = vectors.get(t); if (x) table.predictAll(x, -1, out); }],
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
