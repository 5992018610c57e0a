import { createHash } from 'node:crypto';
import { ARTIFACT_FORMAT, type ArtifactFile } from '../routing/router-artifact.js';
import { centroidToJSON } from '../routing/prompt-clusters.js';
import type { TrainedRouter } from './train-router.js';

/** The trained router as the versioned artefact the gateway loads. */
export const toArtifactFile = (router: TrainedRouter, data: string, prompts: number, now = new Date()): ArtifactFile => {
  const models: ArtifactFile['models'] = {};
  for (const [m, t] of router.byModel) {
    models[m] = {
      quality: t.quality.toJSON(),
      costPerInputToken: t.costPerInputToken,
      costPerInputTokenByTask: Object.fromEntries(t.costPerInputTokenByTask),
      ...(t.costByCluster ? { costByCluster: t.costByCluster.map((c) => (c ? { perPrompt: Number(c.perPrompt.toPrecision(6)), perInputToken: Number(c.perInputToken.toPrecision(6)) } : null)) } : {}),
      trainQuality: t.trainQuality,
      ...(t.clusterQuality ? { clusterQuality: t.clusterQuality.map((q) => Number(q.toFixed(5))) } : {}),
      ...(t.outputTokens ? { outputTokens: { mean: t.outputTokens.mean, byTask: Object.fromEntries(t.outputTokens.byTask), quantiles: Object.fromEntries(t.outputTokens.quantiles) } } : {}),
    };
  }
  const c = router.classifier;
  const classifier = c ? { small: c.small, large: c.large, model: c.model.toJSON() } : undefined;
  const clusters = router.clusters ? { blend: router.clusters.blend, centroids: router.clusters.centroids.map((x) => centroidToJSON(x)) } : undefined;
  const version = createHash('sha256').update(JSON.stringify({ models, classifier, clusters })).digest('hex').slice(0, 10);
  return {
    format: ARTIFACT_FORMAT, kind: 'switchyard-router', version, createdAt: now.toISOString(), trainedOn: { data, prompts }, models,
    ...(classifier ? { classifier } : {}),
    ...(clusters ? { clusters } : {}),
  };
};
