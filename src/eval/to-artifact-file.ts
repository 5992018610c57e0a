import { createHash } from 'node:crypto';
import { ARTIFACT_FORMAT, type ArtifactFile } from '../routing/router-artifact.js';
import type { TrainedRouter } from './train-router.js';

/** The trained router as the versioned artefact the gateway loads. */
export const toArtifactFile = (router: TrainedRouter, data: string, prompts: number, now = new Date()): ArtifactFile => {
  const models: ArtifactFile['models'] = {};
  for (const m of router.models) {
    const byTask: Record<string, number> = {};
    for (const [key, v] of router.costPerInputTokenByTask) {
      const [model, task] = key.split('\u0000');
      if (model === m && task) byTask[task] = v;
    }
    models[m] = {
      quality: router.quality.get(m)?.toJSON() ?? { size: 1, weights: {} },
      costPerInputToken: router.costPerInputToken.get(m) ?? 0,
      costPerInputTokenByTask: byTask,
      trainQuality: router.trainQuality.get(m) ?? 0,
    };
  }
  const version = createHash('sha256').update(JSON.stringify(models)).digest('hex').slice(0, 10);
  return { format: ARTIFACT_FORMAT, kind: 'switchyard-router', version, createdAt: now.toISOString(), trainedOn: { data, prompts }, models };
};
