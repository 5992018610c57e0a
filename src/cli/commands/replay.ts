import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadPrices } from '../../datasets/load-prices.js';
import { checkOutputPath } from '../check-output-path.js';
import { SingleBar, Presets } from 'cli-progress';
import { plotReplay } from '../../replay/plot-replay.js';
import { replay, type ReplayReport } from '../../replay/replay.js';
import { parseShift, parseTaskMix } from '../../replay/task-mix.js';

interface ReplayCliOptions {
  data: string; prices?: string; requests: string; mix?: string; shift?: string; out: string; plot?: string;
  policy: string; gatewayConfig?: string; lambda: string; staticFloor: string; bestFloor: string; window: string;
  feedbackDelay: string; feedbackRate: string; feedbackMetric: string; driftEvery: string; seed: string;
  url?: string; route?: string; apiKey?: string;
}

const num = (raw: string, field: string, min: number, max = Infinity, integer = false): number => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) throw new Error(`${field}: expected ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got '${raw}'`);
  return n;
};

/** A JSON object given inline or as a file path. */
const jsonArg = async (raw: string, field: string): Promise<Record<string, unknown>> => {
  const isFile = existsSync(raw);
  if (!isFile && !raw.trim().startsWith('{')) throw new Error(`${field}: no such file, and not an inline JSON object: ${raw}`);
  const text = isFile ? await readFile(raw, 'utf8') : raw;
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${field}: expected a JSON object or a file holding one (${(err as Error).message})`);
  }
};

/** With --url, the gateway must answer before minutes of preparation are spent. */
const probe = async (url: string, route: string): Promise<void> => {
  try {
    await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(5_000) });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    throw new Error(`--url: cannot reach the gateway at ${url} (route '${route}'): ${cause}`);
  }
};

const print = (r: ReplayReport): void => {
  const usd = (v: number | null): string => (v === null ? '—' : `${(v * 1e6).toFixed(0)} µUSD`);
  console.log(`λ ${r.lambda}; ${r.requests} requests; drift flagged at ${r.driftDetectedAt ?? '—'}${r.shift ? ` (shift at ${r.shift.at})` : ''}; recovered at ${r.recoveredAt ?? 'never'}; feedback posted ${r.feedback.posted} (rejected ${r.feedback.rejected}); failed requests ${r.errors}`);
  const retrains = r.policyVersions.filter((v) => v.kind === 'drift-retrain');
  if (retrains.length > 0) console.log(`drift persisted: the learning policy was retrained from the decision log after request ${retrains.map((v) => v.at).join(', ')}`);
  if (r.lastMiss) console.log(`last trailing window not within 5% of the best fixed model: ending at ${r.lastMiss.at} (ratio ${r.lastMiss.ratio?.toFixed(3) ?? '—'}, quality ${r.lastMiss.quality.toFixed(3)})`);
  for (const [name, w] of [['before shift', r.before], ['after shift', r.after]] as const) {
    if (!w) continue;
    console.log(`${name.padEnd(12)} cost/success: learning ${usd(w.learning.costPerSuccess)} (q ${w.learning.quality.toFixed(3)}), static ${usd(w.static.costPerSuccess)} (q ${w.static.quality.toFixed(3)}), best fixed ${w.bestFixed.model} ${usd(w.bestFixed.costPerSuccess)} (q ${w.bestFixed.quality.toFixed(3)})`);
  }
};

/** `switchyard replay`: the learning loop against a traffic shift, on a dataset's real outcomes. */
export const registerReplayCommand = (program: Command): void => {
  program
    .command('replay')
    .description('stream test-split prompts of a routing dataset through a gateway (simulator upstream with the real outcomes), post their outcomes as feedback, shift the task mix, and compare the learning policy with the static trained policy and the best fixed model')
    .requiredOption('--data <file>', 'routing dataset (canonical JSONL, optionally .gz); the static policy trains on its train split, the stream draws from its test split')
    .option('--prices <file>', 'prices file for sets without cost_usd')
    .requiredOption('--requests <n>', 'number of requests to stream')
    .option('--mix <taskmix>', "task mix like 'arc-challenge=0.8,mbpp=0.2' (default: the test split's own)")
    .option('--shift <at:taskmix>', "change the mix at request AT, e.g. '2000:mbpp=0.5,winogrande=0.5'")
    .requiredOption('--out <file>', 'report.json path')
    .option('--plot <file>', 'SVG plot of cost per success per window')
    .option('--policy <json|file>', "the learning route's policy block", '{"type":"bandit"}')
    .option('--gateway-config <json|file>', "extra gateway config merged at the top level, e.g. '{\"learning\":{\"lambda\":3000}}'")
    .option('--lambda <x|auto>', "λ of the learning loop (reward = quality − λ·USD); auto: 1 / the best single model's cost per success on the train split, so the reward ranks policies as cost per success does", 'auto')
    .option('--static-floor <q>', 'quality floor of the static envelope policy', '0.7')
    .option('--best-floor <q>', 'quality a fixed model must reach in a window to count as the best fixed policy (0: pure cost per success)', '0')
    .option('--window <n>', 'report window (requests); also the trailing window of the recovery test', '250')
    .option('--feedback-delay <n>', 'requests between an answer and its feedback', '20')
    .option('--feedback-rate <p>', 'share of answers that get feedback', '1')
    .option('--feedback-metric <name>', 'declared metric the 0/1 outcome is posted on', 'score')
    .option('--drift-every <n>', 'read the drift counter from /metrics every n requests', '10')
    .option('--seed <n>', 'seed of the stream and of feedback sampling', '1')
    .option('--url <url>', 'target a running gateway instead (its upstream must be the simulator with this dataset)')
    .option('--route <name>', 'route to call with --url', 'learning')
    .option('--api-key <key>', 'API key for --url')
    .action(async (o: ReplayCliOptions) => {
      if (o.url) await probe(o.url, o.route ?? 'learning');
      checkOutputPath(o.out, '--out');
      checkOutputPath(o.plot, '--plot');
      const bar = process.stderr.isTTY ? new SingleBar({ format: 'replay {bar} {value}/{total} requests' }, Presets.shades_classic) : undefined;
      const report = await replay({
        data: o.data,
        prices: o.prices ? await loadPrices(o.prices) : undefined,
        requests: num(o.requests, '--requests', 1, 1e7, true),
        mix: o.mix ? parseTaskMix(o.mix, '--mix') : undefined,
        shift: o.shift ? parseShift(o.shift) : undefined,
        policy: await jsonArg(o.policy, '--policy'),
        gatewayConfig: o.gatewayConfig ? await jsonArg(o.gatewayConfig, '--gateway-config') : undefined,
        lambda: o.lambda === 'auto' ? 'auto' : num(o.lambda, '--lambda', 0),
        staticFloor: num(o.staticFloor, '--static-floor', 0, 1),
        bestFloor: num(o.bestFloor, '--best-floor', 0, 1),
        window: num(o.window, '--window', 10, 1e6, true),
        feedbackDelay: num(o.feedbackDelay, '--feedback-delay', 0, 1e6, true),
        feedbackRate: num(o.feedbackRate, '--feedback-rate', 0, 1),
        feedbackMetric: o.feedbackMetric,
        driftEvery: num(o.driftEvery, '--drift-every', 1, 1e6, true),
        seed: num(o.seed, '--seed', 0, 2 ** 31, true),
        url: o.url, route: o.route, apiKey: o.apiKey,
        onStart: (total) => bar?.start(total, 0),
        onProgress: (done) => bar?.update(done),
      });
      bar?.stop();
      await writeFile(o.out, JSON.stringify(report, null, 2));
      if (report.feedback.posted === 0 && report.feedback.rejected > 0) {
        process.exitCode = 1;
        console.error(`replay: the gateway rejected all ${report.feedback.rejected} feedback posts (is --feedback-metric '${o.feedbackMetric}' a metric its learning.metrics declares?): nothing was learned`);
      }
      if (o.plot) await writeFile(o.plot, await plotReplay(report, `${o.data.split('/').pop()} replay${report.shift ? ` — mix shift at ${report.shift.at}` : ''}`));
      print(report);
    });
};
