import type { Target } from '../spec/catalog.js';
import type { PlanInput } from '../spec/routing.js';

/** Output tokens assumed when nothing better is known (no artefact, or a model it has not seen). */
export const DEFAULT_OUTPUT_TOKENS = 256;

/** The most a candidate can write: its pinned maxTokens, the request's, the model's own limit. */
export const outputCap = (t: Target, requestedMaxTokens: number | null): number =>
  Math.min(t.params.maxTokens ?? Infinity, requestedMaxTokens ?? Infinity, t.model.maxOutputTokens);

/** USD of one call from catalog prices: prompt tokens at the input rate, the answer at the output rate. */
export const catalogCostUsd = (t: Target, inputTokens: number, outputTokens: number): number => {
  const p = t.model.prices;
  return (Math.max(1, inputTokens) * p.inputPerMtok + outputTokens * p.outputPerMtok) / 1e6 + p.perRequest;
};

/** Catalog-only cost estimate: a default answer length, capped by the candidate's settings. */
export const catalogCostEstimate = (t: Target, input: Pick<PlanInput, 'features'>): number =>
  catalogCostUsd(t, input.features.inputTokens, Math.min(DEFAULT_OUTPUT_TOKENS, outputCap(t, input.features.requestedMaxTokens)));
