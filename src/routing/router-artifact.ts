import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { CostModel } from './predict-cost.js';
import { logisticFromJSON, type LogisticModel } from './logistic-model.js';
import { centroidFromJSON, createPromptClusters, type PromptClusters } from './prompt-clusters.js';

/**
 * The trained router, as written by `switchyard train` and loaded by learned policies: per model,
 * a quality predictor and cost rates. Versioned so an old gateway refuses a newer format.
 */
export const ARTIFACT_FORMAT = 2;

const logisticSchema = z.strictObject({ size: z.number().int().positive(), weights: z.record(z.string(), z.number()) });

const modelSchema = z.strictObject({
  quality: logisticSchema,
  costPerInputToken: z.number().nonnegative(),
  costPerInputTokenByTask: z.record(z.string(), z.number().nonnegative()),
  /** Per prompt cluster (aligned with `clusters.centroids`): USD = perPrompt + perInputToken × input tokens, fitted on train (null: too few prompts). */
  costByCluster: z.array(z.strictObject({ perPrompt: z.number().nonnegative(), perInputToken: z.number().nonnegative() }).nullable()).optional(),
  trainQuality: z.number().min(0).max(1),
  /** Mean quality per prompt cluster on train (shrunk toward trainQuality), aligned with `clusters.centroids`. */
  clusterQuality: z.array(z.number().min(0).max(1)).optional(),
  /** Mean output tokens on train, per detected task (when the set records output lengths). */
  outputTokens: z.strictObject({
    mean: z.number().nonnegative(),
    byTask: z.record(z.string(), z.number().nonnegative()),
    /** 0%, 10%, …, 100% quantiles of output tokens per task (`*`: all tasks): P(an answer fits a max-tokens cap). */
    quantiles: z.record(z.string(), z.array(z.number().nonnegative()).length(11)).default({}),
  }).optional(),
});

/** The two-model classifier: P(small's answer is as good as large's) from the text. */
const classifierSchema = z.strictObject({ small: z.string().min(1), large: z.string().min(1), model: logisticSchema });

export const artifactSchema = z.strictObject({
  format: z.literal(ARTIFACT_FORMAT),
  kind: z.literal('switchyard-router'),
  // Part of the policy version sent in the x-switchyard-policy response header: printable ASCII.
  version: z.string().regex(/^[!-~]+$/, 'expected printable ASCII without spaces (it is sent in the x-switchyard-policy header)'),
  createdAt: z.string(),
  trainedOn: z.strictObject({ data: z.string(), prompts: z.number().int().nonnegative() }),
  models: z.record(z.string(), modelSchema),
  classifier: classifierSchema.optional(),
  /**
   * Prompt groups, learned clusters or task labels (sparse centroids) and the weight of the text model against the
   * cluster priors: P(quality) = blend·text + (1 − blend)·clusterQuality[cluster].
   */
  clusters: z.strictObject({ blend: z.number().min(0).max(1), centroids: z.array(z.record(z.string(), z.number())).min(1) }).optional(),
});

export type ArtifactFile = z.infer<typeof artifactSchema>;

export interface ArtifactModel extends CostModel {
  quality: LogisticModel;
  trainQuality: number;
  clusterQuality?: readonly number[];
  outputTokens?: { mean: number; byTask: ReadonlyMap<string, number>; quantiles: ReadonlyMap<string, readonly number[]> };
}

export interface RouterArtifact {
  version: string;
  models: ReadonlyMap<string, ArtifactModel>;
  classifier?: { small: string; large: string; model: LogisticModel };
  clusters?: PromptClusters & { blend: number };
}

export const fromArtifactFile = (file: ArtifactFile): RouterArtifact => ({
  version: file.version,
  models: new Map(Object.entries(file.models).map(([id, m]) => [id, {
    quality: logisticFromJSON(m.quality),
    costPerInputToken: m.costPerInputToken,
    costPerInputTokenByTask: new Map(Object.entries(m.costPerInputTokenByTask)),
    ...(m.costByCluster ? { costByCluster: m.costByCluster } : {}),
    trainQuality: m.trainQuality,
    ...(m.clusterQuality ? { clusterQuality: m.clusterQuality } : {}),
    ...(m.outputTokens ? { outputTokens: { mean: m.outputTokens.mean, byTask: new Map(Object.entries(m.outputTokens.byTask)), quantiles: new Map(Object.entries(m.outputTokens.quantiles)) } } : {}),
  }])),
  ...(file.clusters ? { clusters: Object.assign(createPromptClusters(file.clusters.centroids.map(centroidFromJSON)), { blend: file.clusters.blend }) } : {}),
  ...(file.classifier ? { classifier: { small: file.classifier.small, large: file.classifier.large, model: logisticFromJSON(file.classifier.model) } } : {}),
});

export const loadArtifact = async (path: string): Promise<RouterArtifact> => {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read router artefact ${path}: ${(err as Error).message}`);
  }
  const parsed = artifactSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`${path} is not a switchyard router artefact (format ${ARTIFACT_FORMAT}): ${i?.path.join('.') ?? ''}: ${i?.message ?? ''}`);
  }
  return fromArtifactFile(parsed.data);
};

export const saveArtifact = (path: string, file: ArtifactFile): Promise<void> => writeFile(path, JSON.stringify(file));
