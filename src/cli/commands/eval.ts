import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadPrices } from '../../datasets/load-prices.js';
import { checkOutputPath } from '../check-output-path.js';
import { SingleBar, Presets } from 'cli-progress';
import { loadDataset } from '../../datasets/load-dataset.js';
import { estimatorCascadeScores } from '../../eval/estimator-cascade-scores.js';
import type { CascadeOperatingPoint } from '../../eval/cascade-curve.js';
import { evaluateRouting, type EvalReport, type PolicyReport } from '../../eval/evaluate-routing.js';
import { plotCurves } from '../../eval/plot-curves.js';
import { prepareRecords } from '../../eval/prepare-records.js';
import { splitRecords } from '../../eval/split-records.js';
import { modelsOf, trainRouter } from '../../eval/train-router.js';

interface EvalOptions { data: string; prices?: string; split: string; policies: string; out: string; plot?: string }

const POLICIES = ['envelope', 'utility', 'classifier', 'cascade', 'panel', 'utility+panel'];

/** `switchyard eval`: train on the train split, sweep each policy's knob on the test split, report. */
export const registerEvalCommand = (program: Command): void => {
  program
    .command('eval')
    .description('offline evaluation of routing policies on a routing dataset (canonical JSONL)')
    .requiredOption('--data <path>', 'dataset: canonical JSONL (optionally .gz), a RouterBench CSV or a directory of them')
    .option('--prices <file>', 'prices file {model: {input_per_mtok, output_per_mtok}} for sets without cost_usd')
    .option('--split <mode>', "'test' (the file's split field) or 'auto' (80/20 by id hash)", 'test')
    .option('--policies <list>', `comma-separated: ${POLICIES.join(',')}`, POLICIES.join(','))
    .requiredOption('--out <file>', 'report.json path')
    .option('--plot <file>', 'SVG plot of the cost–quality curves')
    .action(async (o: EvalOptions) => {
      checkOutputPath(o.out, '--out');
      checkOutputPath(o.plot, '--plot');
      if (o.split !== 'test' && o.split !== 'auto') throw new Error(`--split: expected test or auto, got '${o.split}'`);
      const policies = o.policies.split(',').map((p) => p.trim()).filter(Boolean);
      if (policies.length === 0) throw new Error(`--policies: expected at least one of ${POLICIES.join(', ')}`);
      const unknown = policies.filter((p) => !POLICIES.includes(p));
      if (unknown.length > 0) throw new Error(`--policies: unknown ${unknown.join(', ')} (known: ${POLICIES.join(', ')})`);
      const prices = o.prices ? await loadPrices(o.prices) : undefined;
      const records = await loadDataset(o.data);
      const { train, test, how } = splitRecords(records, o.split === 'auto' ? 'auto' : 'file');
      const preparedTrain = prepareRecords(train, prices);
      const preparedTest = prepareRecords(test, prices);
      if (modelsOf(preparedTrain).length === 0) throw new Error(`${o.data}: no model has both a score and a cost (give --prices for sets without cost_usd)`);
      const bar = process.stderr.isTTY ? new SingleBar({ format: 'training {bar} {value}/{total} models {model}' }, Presets.shades_classic) : undefined;
      bar?.start(modelsOf(preparedTrain).length + 1, 0, { model: '' });
      const router = trainRouter(preparedTrain, { onStep: (step) => bar?.increment(1, { model: step }) });
      bar?.stop();
      const scores = policies.includes('cascade') ? estimatorCascadeScores(train, test, o.data) : null;
      if (policies.includes('cascade') && !scores) process.stderr.write(`cascade: not simulated — ${o.data} has no response texts to score (RouterBench: pass its raw CSV directory)\n`);
      const texts = new Map(records.filter((r) => r.responses).map((r) => [r.id, r.responses as Record<string, string>]));
      for (const p of policies.filter((x) => x.includes('panel'))) if (texts.size === 0) process.stderr.write(`${p}: not simulated — ${o.data} has no response texts to compare (RouterBench: pass its raw CSV directory)\n`);
      const report = evaluateRouting(router, preparedTrain, preparedTest, how, policies, {
        ...(scores ? { cascadeScore: scores.test, cascadeTrainScore: scores.trainOutOfFold } : {}),
        ...(texts.size > 0 ? { panelAnswer: (id: string, model: string) => texts.get(id)?.[model] } : {}),
      });
      await writeFile(o.out, JSON.stringify({ data: o.data, ...report }, null, 2));
      if (o.plot) await writeFile(o.plot, await plotCurves(report, `${o.data.split('/').pop()} — test split`));
      printSummary(report);
    });
};

const pct = (x: number | null): string => (x === null ? 'never' : `${(100 * x).toFixed(1)}%`);
const q3 = (x: number | null): string => (x === null ? '—' : x.toFixed(3));

/** One table row: on the swept points, then (in brackets) with mixing two operating points. */
const row = (name: string, p: PolicyReport): string => {
  const above = p.singleModelsAbove.map((m) => m.split('/').pop()).join(', ') || 'none';
  const m = p.mixed;
  return `| ${name} | ${p.aiq.toFixed(3)} | ${pct(p.costRatioAtBestQuality)} (${pct(m.costRatioAtBestQuality)}) | ${q3(p.qualityAtBestCost)} (${q3(m.qualityAtBestCost)}) | ${q3(p.qualityAt30PctCost)} (${q3(m.qualityAt30PctCost)}) | ${above} |`;
};

/** A train-chosen pair of operating points (reach the strong model's quality; best within the cost share), with test figures. */
const printChosen = (what: string, cp: EvalReport['cascadeOperatingPoints'], name: (p: CascadeOperatingPoint) => string): void => {
  if (!cp) return;
  for (const [key, goal] of [['reachBest', `${cp.strong}'s quality`], ['withinShare', `the best quality within ${100 * cp.costShare}% of its cost`]] as const) {
    const p = cp[key];
    console.log(`${what} for ${goal}: ${p ? `${name(p)} ${p.trainCv.quality.toFixed(3)} at ${pct(p.trainCv.costRatio)}); on test ${p.test ? `${p.test.quality.toFixed(3)} at ${pct(p.test.costRatio)}` : '—'}` : 'none reaches it'}`);
  }
};

/** The summary as markdown tables (docs/routing.md and README.md quote them as printed). */
const printSummary = (r: EvalReport): void => {
  const best = r.baselines[r.bestModel] ?? { quality: 0, cost_usd: 0 };
  console.log(`train ${r.n_train}, test ${r.n_test} (${r.split}); costs are totals over the test prompts`);
  if (r.training) console.log(`chosen by 3-fold cross-validation on train: ${r.training.clusters} prompt clusters${r.training.byTask ? ` (one per dataset task label, served by the prompt's text: ${r.training.taskAgreement === null ? '—' : `${(100 * r.training.taskAgreement).toFixed(1)}%`} of the test prompts land in their own label's)` : ''}, text-model weight ${r.training.blend} (Brier ${r.training.cvBrier})`);
  console.log(`best single model ${r.bestModel}: quality ${best.quality.toFixed(3)} for $${best.cost_usd.toFixed(2)}; oracle ${r.oracle.quality.toFixed(3)} for $${r.oracle.cost_usd.toFixed(2)}; random ${r.random.quality.toFixed(3)} for $${r.random.cost_usd.toFixed(2)}`);
  const d = r.predictions;
  console.log(`learned predictions on the test prompts: P(quality) AUC ${q3(d.qualityAuc)} (within a dataset task ${q3(d.qualityAucWithinTask)}); cost off by ${d.costMeanAbsLogRatio === null ? '—' : `${(100 * (Math.exp(d.costMeanAbsLogRatio) - 1)).toFixed(1)}%`} (geometric mean)`);
  const op = r.operatingPoints;
  for (const [key, goal] of [['reachBest', `${op?.target ?? ''}'s quality`], ['withinShare', `the best quality within ${100 * (op?.costShare ?? 0)}% of its cost`]] as const) {
    const p = op?.[key];
    const t = op?.test[key];
    if (op) console.log(`utility λ chosen on train folds for ${goal}: ${p && t ? `${p.lambda} (out of fold ${p.trainCv.quality.toFixed(3)} at ${pct(p.trainCv.costRatio)}); on test ${t.quality.toFixed(3)} at ${pct(t.costRatio)}` : 'none reaches it'}`);
  }
  printChosen('cascade chosen on train folds', r.cascadeOperatingPoints, (p) => `${p.chain} at threshold ${p.threshold} (out of fold`);
  printChosen('panel chosen on train', r.panelOperatingPoints, (p) => `${p.chain} (on train`);
  printChosen('utility+panel chosen on train folds', r.guardedOperatingPoints, (p) => `${p.chain}, λ ${p.threshold} (out of fold`);
  const c = r.ceiling;
  console.log(`ceiling (not a policy: each prompt's dataset task known, the best single model${c.panels ? ' or panel' : ''} per task picked with hindsight on test, mixing allowed): ${c.qualityAtShare.toFixed(3)} within ${100 * c.costShare}% of ${c.reference}'s cost; its quality at ${pct(c.costShareAtReferenceQuality)} of its cost`);
  console.log('figures on the swept operating points; (in brackets) mixing two of them at random, as the AIQ hull does\n');
  console.log("| policy | AIQ | cost to reach the best model's quality | quality at the best model's cost | quality at 30% of its cost | single models above its curve |");
  console.log('|---|---:|---:|---:|---:|---|');
  for (const [name, p] of Object.entries(r.policies)) console.log(row(name, p));
  for (const [name, p] of Object.entries(r.references)) console.log(row(`*reference: ${name}*`, p));
  console.log('\n| single model | quality | cost (USD) |\n|---|---:|---:|');
  for (const [m, o] of Object.entries(r.baselines).sort((a, b) => a[1].cost_usd - b[1].cost_usd)) console.log(`| ${m} | ${o.quality.toFixed(3)} | ${o.cost_usd.toFixed(3)} |`);
};
