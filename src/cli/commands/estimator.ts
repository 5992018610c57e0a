import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadDataset } from '../../datasets/load-dataset.js';
import { splitRecords } from '../../eval/split-records.js';
import { answersOf, evaluateEstimator, type EstimatorEvalReport } from '../../learning/quality-estimator-dataset.js';
import { loadQualityEstimator, saveQualityEstimator, trainQualityEstimator } from '../../learning/quality-estimator.js';

interface TrainOptions { data: string; out: string; report?: string }
interface EvalOptions { data: string; model: string; out?: string }

const load = async (data: string) => {
  const { train, test } = splitRecords(await loadDataset(data), 'file');
  const trainAnswers = answersOf(train);
  if (trainAnswers.length === 0) throw new Error(`${data}: no response texts with scores (the estimator needs a set with responses, e.g. RouterBench's raw CSV directory)`);
  return { trainAnswers, testAnswers: answersOf(test) };
};

const print = (r: EstimatorEvalReport): void => {
  const row = (name: string, m: EstimatorEvalReport['overall']): string =>
    `${name.padEnd(16)} n=${String(m.n).padStart(6)}  AUC ${m.auc.toFixed(3)}  ECE ${m.ece.toFixed(3)}  Brier ${m.brier.toFixed(3)}  acc ${m.accuracy.toFixed(3)}`;
  console.log(row('estimator', r.overall));
  for (const [task, m] of Object.entries(r.byTask)) console.log(row(`  ${task}`, m));
  console.log(row('model×task prior', r.priorBaseline));
};

/** `switchyard estimator train|eval`: the response-quality estimator, fitted and measured on held-out data. */
export const registerEstimatorCommand = (program: Command): void => {
  const cmd = program.command('estimator').description('quality estimator: P(a human accepts the answer | query, response)');
  cmd
    .command('train')
    .description("train on the dataset's train split (real responses + scores), report AUC/ECE on its test split")
    .requiredOption('--data <path>', 'dataset with response texts: a RouterBench CSV file or directory (raw/), or canonical JSONL with `responses`')
    .requiredOption('--out <file>', 'estimator file (JSON) to write')
    .option('--report <file>', 'write the held-out report as JSON')
    .action(async (o: TrainOptions) => {
      const { trainAnswers, testAnswers } = await load(o.data);
      const { estimator, file } = trainQualityEstimator(trainAnswers, o.data);
      await saveQualityEstimator(o.out, file);
      console.log(`trained on ${trainAnswers.length} answers; estimator ${file.version} → ${o.out}`);
      if (testAnswers.length === 0) return;
      const report = evaluateEstimator(estimator, trainAnswers, testAnswers);
      print(report);
      if (o.report) await writeFile(o.report, JSON.stringify(report, null, 2));
    });
  cmd
    .command('eval')
    .description("held-out AUC, ECE and Brier score of a trained estimator on the dataset's test split")
    .requiredOption('--data <path>', 'dataset with response texts (as for train)')
    .requiredOption('--model <file>', 'estimator file written by `estimator train`')
    .option('--out <file>', 'write the report as JSON')
    .action(async (o: EvalOptions) => {
      const estimator = await loadQualityEstimator(o.model);
      const { trainAnswers, testAnswers } = await load(o.data);
      if (testAnswers.length === 0) throw new Error(`${o.data}: no test split with responses to evaluate on`);
      const report = evaluateEstimator(estimator, trainAnswers, testAnswers);
      print(report);
      if (o.out) await writeFile(o.out, JSON.stringify(report, null, 2));
    });
};
