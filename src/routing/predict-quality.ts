import type { ArtifactModel, RouterArtifact } from './router-artifact.js';
import type { SparseVector } from './text-vector.js';

/** The prompt's cluster under the artefact's learned clusters (-1 when it has none). */
export const clusterOf = (artifact: RouterArtifact, x: SparseVector): number => artifact.clusters?.assign(x) ?? -1;

/**
 * A model's P(acceptable answer) for a prompt: its text model blended with its quality in the
 * prompt's cluster, by the weight cross-validated on the train split. The same function serves
 * `switchyard eval` and the gateway, so offline figures are what the gateway does.
 */
export const predictQuality = (artifact: RouterArtifact, m: ArtifactModel, x: SparseVector, cluster: number): number => {
  const prior = cluster >= 0 ? m.clusterQuality?.[cluster] : undefined;
  if (prior === undefined || !artifact.clusters) return m.quality.predict(x);
  const b = artifact.clusters.blend;
  // At a blend of 0 the text model's dot product is skipped altogether.
  return b === 0 ? prior : b * m.quality.predict(x) + (1 - b) * prior;
};
