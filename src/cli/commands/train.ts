import type { Command } from 'commander';
import { loadPrices } from '../../datasets/load-prices.js';
import { checkOutputPath } from '../check-output-path.js';
import { loadDataset } from '../../datasets/load-dataset.js';
import { prepareRecords } from '../../eval/prepare-records.js';
import { splitRecords } from '../../eval/split-records.js';
import { toArtifactFile } from '../../eval/to-artifact-file.js';
import { modelsOf, trainRouter } from '../../eval/train-router.js';
import { saveArtifact } from '../../routing/router-artifact.js';

interface TrainOptions { data: string; prices?: string; split: string; out: string }

/** `switchyard train`: fits the per-model quality and cost predictors on the train split. */
export const registerTrainCommand = (program: Command): void => {
  program
    .command('train')
    .description('train the learned router on a routing dataset and write the artefact the envelope policy loads')
    .requiredOption('--data <path>', 'dataset: canonical JSONL (optionally .gz), a RouterBench CSV or a directory of them')
    .option('--prices <file>', 'prices file for sets without cost_usd')
    .option('--split <mode>', "'test' (train on the file's train split) or 'auto' (80% by id hash)", 'test')
    .requiredOption('--out <file>', 'artefact path (JSON)')
    .action(async (o: TrainOptions) => {
      checkOutputPath(o.out, '--out');
      if (o.split !== 'test' && o.split !== 'auto') throw new Error(`--split: expected test or auto, got '${o.split}'`);
      const prices = o.prices ? await loadPrices(o.prices) : undefined;
      const { train, how } = splitRecords(await loadDataset(o.data), o.split === 'auto' ? 'auto' : 'file');
      const prepared = prepareRecords(train, prices);
      if (modelsOf(prepared).length === 0) throw new Error(`${o.data}: no model has both a score and a cost (give --prices for sets without cost_usd)`);
      const router = trainRouter(prepared);
      const file = toArtifactFile(router, o.data, prepared.length);
      await saveArtifact(o.out, file);
      console.log(`trained on ${prepared.length} prompts (${how}); ${Object.keys(file.models).length} models; artefact ${file.version} → ${o.out}`);
      if (router.clusters) console.log(`chosen by 3-fold cross-validation on train: ${router.clusters.centroids.length} prompt clusters${router.clusters.kind === 'tasks' ? " (one per dataset task label, served by the prompt's text)" : ''}, text-model weight ${router.clusters.blend}`);
    });
};
