import { z } from 'zod';
import { GatewayError } from '../errors/index.js';
import type { PolicyLearner } from '../spec/routing.js';
import type { QualityEstimator } from './quality-estimator.js';

const blobSchema = z.strictObject({
  kind: z.literal('quality-estimator'),
  /** Version of the estimator file the weights were learned from. */
  base: z.string(),
  model: z.strictObject({ size: z.number().int().positive(), weights: z.record(z.string(), z.number()) }),
});

/**
 * The estimator's online learning (estimator-online.ts moves its weights toward later human and
 * judge labels) as a versioned state, so it survives a restart: snapshots every
 * `learning.snapshotEvery` updates and at shutdown, restored at start-up. Only the weights
 * change online, so a snapshot is the weights plus the file version they started from; a
 * snapshot from another estimator file is refused (a newly trained file starts over).
 */
export const createEstimatorLearner = (estimator: QualityEstimator, updates: () => number): PolicyLearner => ({
  // Its evidence comes from the estimator sink and the feedback listener, not from routing decisions.
  learn: () => undefined,
  onDrift: () => undefined,
  fresh: () => updates() === 0,
  snapshot: () => JSON.stringify({ kind: 'quality-estimator', base: estimator.version, model: estimator.weightsJSON() }),
  restore(blob) {
    let parsed: z.infer<typeof blobSchema>;
    try {
      parsed = blobSchema.parse(JSON.parse(blob));
    } catch (err) {
      throw new GatewayError('invalid_request', `not a quality-estimator snapshot: ${(err as Error).message.slice(0, 200)}`, { param: 'id' });
    }
    if (parsed.base !== estimator.version) {
      throw new GatewayError('invalid_request', `this snapshot was learned from estimator ${parsed.base}; the loaded estimator file is ${estimator.version}`, { param: 'id' });
    }
    estimator.loadWeights(parsed.model);
  },
  setVersion: () => undefined,
});
