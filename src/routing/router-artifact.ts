import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { logisticFromJSON, type LogisticModel } from './logistic-model.js';

/**
 * The trained router, as written by `switchyard train` and loaded by learned policies: per model,
 * a quality predictor and cost rates. Versioned so an old gateway refuses a newer format.
 */
export const ARTIFACT_FORMAT = 1;

const modelSchema = z.strictObject({
  quality: z.strictObject({ size: z.number().int().positive(), weights: z.record(z.string(), z.number()) }),
  costPerInputToken: z.number().nonnegative(),
  costPerInputTokenByTask: z.record(z.string(), z.number().nonnegative()),
  trainQuality: z.number().min(0).max(1),
});

export const artifactSchema = z.strictObject({
  format: z.literal(ARTIFACT_FORMAT),
  kind: z.literal('switchyard-router'),
  version: z.string().min(1),
  createdAt: z.string(),
  trainedOn: z.strictObject({ data: z.string(), prompts: z.number().int().nonnegative() }),
  models: z.record(z.string(), modelSchema),
});

export type ArtifactFile = z.infer<typeof artifactSchema>;

export interface RouterArtifact {
  version: string;
  models: ReadonlyMap<string, { quality: LogisticModel; costPerInputToken: number; costPerInputTokenByTask: ReadonlyMap<string, number>; trainQuality: number }>;
}

export const fromArtifactFile = (file: ArtifactFile): RouterArtifact => ({
  version: file.version,
  models: new Map(Object.entries(file.models).map(([id, m]) => [id, {
    quality: logisticFromJSON(m.quality),
    costPerInputToken: m.costPerInputToken,
    costPerInputTokenByTask: new Map(Object.entries(m.costPerInputTokenByTask)),
    trainQuality: m.trainQuality,
  }])),
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
