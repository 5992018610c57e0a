/**
 * Quality-estimator scoring cost in-process, on RouterBench's real responses (raw CSV) when
 * ../shared/data is present (else synthetic answers): p50/p99 µs per score, side by side with the
 * routing feature extraction it shares the process with and with the time of the LLM call it
 * scores (the simulated call's own duration from the catalog: TTFT + output tokens / speed).
 *
 *   npm run build && node dist/bench/estimator/run.js
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultConfigTree } from '../../src/config/default-config.js';
import { loadDataset } from '../../src/datasets/load-dataset.js';
import { answersOf } from '../../src/learning/quality-estimator-dataset.js';
import { trainQualityEstimator, type LabelledAnswer } from '../../src/learning/quality-estimator.js';
import { extractFeatures } from '../../src/routing/extract-features.js';

const DATA = fileURLToPath(new URL('../../../../shared/data/routerbench/raw', import.meta.url));
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 20_000);

const synthetic = (): Array<LabelledAnswer & { task: string }> => Array.from({ length: 2_000 }, (_, i) => ({
  input: {
    features: extractFeatures({ model: 'm', messages: [{ role: 'user', content: `Question ${i}: why is the sky blue?` }], stream: false, includeUsage: false }),
    responseText: 'Because of Rayleigh scattering. '.repeat(1 + (i % 30)), finishReason: 'stop', model: i % 2 ? 'big' : 'small',
  },
  label: i % 3 ? 1 : 0, task: 't',
}));

const quantile = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

const time = (n: number, f: (i: number) => void): number[] => {
  const out: number[] = [];
  for (let i = 0; i < n + 2_000; i++) {
    const t0 = process.hrtime.bigint();
    f(i);
    if (i >= 2_000) out.push(Number(process.hrtime.bigint() - t0) / 1_000);
  }
  return out.sort((a, b) => a - b);
};

const main = async (): Promise<void> => {
  const source = existsSync(DATA) ? 'RouterBench responses' : 'synthetic answers';
  const records = existsSync(DATA) ? await loadDataset(DATA) : undefined;
  const train = records ? answersOf(records.filter((r) => r.split === 'train')) : synthetic();
  const test = records ? answersOf(records.filter((r) => r.split === 'test')) : synthetic();
  const { estimator } = trainQualityEstimator(train, source);
  const prompts = records ? records.filter((r) => r.split === 'test').map((r) => r.messages) : [[{ role: 'user' as const, content: 'Why is the sky blue?' }]];
  const requests = prompts.map((messages) => ({ model: 'm', messages, stream: false, includeUsage: false }));
  const score = time(ROUNDS, (i) => estimator.score(test[i % test.length]!.input));
  const features = time(ROUNDS, (i) => extractFeatures(requests[i % requests.length]!).hashedNgrams);
  // The scored call itself: the cheapest catalog model's simulated duration for a 100-token answer.
  const cheapest = (defaultConfigTree().models ?? []).reduce((a, m) => ((m.latency?.ttftMs ?? 500) < (a.latency?.ttftMs ?? 500) ? m : a));
  const callMs = (cheapest.latency?.ttftMs ?? 500) + (100 / (cheapest.latency?.tokensPerSecond ?? 50)) * 1_000;
  console.log(`Quality-estimator scoring cost, ${source}, ${ROUNDS} scores\n`);
  console.log('| step | p50 µs | p99 µs | p99 as % of the cheapest LLM call |');
  console.log('|---|---:|---:|---:|');
  const row = (name: string, xs: number[]): void =>
    console.log(`| ${name} | ${quantile(xs, 0.5).toFixed(1)} | ${quantile(xs, 0.99).toFixed(1)} | ${((100 * quantile(xs, 0.99)) / (callMs * 1_000)).toFixed(4)}% |`);
  row('estimator.score (features of the response + logistic)', score);
  row('routing extractFeatures (for scale)', features);
  console.log(`\ncheapest LLM call: ${cheapest.id}, ${callMs.toFixed(0)} ms for 100 output tokens (catalog TTFT + tokens/s)`);
};

await main();
