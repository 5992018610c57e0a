import type { Target } from '../spec/catalog.js';
import type { CandidatePrediction, PlanInput } from '../spec/routing.js';
import { DEFAULT_OUTPUT_TOKENS, catalogCostUsd, outputCap } from './catalog-estimates.js';
import { expectedCappedLength, fitsProbability } from './output-length.js';
import type { ArtifactModel } from './router-artifact.js';

/** What a learned policy predicts for one candidate (a model with its generation settings). */
export interface CandidateEstimate {
  target: Target;
  /** P(acceptable answer) with these settings: the model's P(quality) × P(the answer fits the cap). */
  pQuality: number;
  /** Expected billed output tokens under the candidate's cap. */
  outputTokens: number;
  costUsd: number;
  ttftMs: number;
  latencyMs: number;
}

/**
 * Expected output tokens and P(fits) for a model on this task under a cap. Learned: per-task
 * quantiles of the model's answer lengths on train. Assumed: without them, the default length
 * and no truncation risk.
 */
const outputUnderCap = (m: ArtifactModel | undefined, task: string, cap: number): { tokens: number; fits: number; uncapped: number } => {
  const out = m?.outputTokens;
  const uncapped = out ? (out.byTask.get(task) ?? out.mean) : DEFAULT_OUTPUT_TOKENS;
  const q = out ? (out.quantiles.get(task) ?? out.quantiles.get('*')) : undefined;
  if (!q) return { tokens: Math.min(uncapped, cap), fits: 1, uncapped };
  if (cap >= (q[q.length - 1] ?? 0)) return { tokens: uncapped, fits: 1, uncapped };
  return { tokens: expectedCappedLength(q, cap), fits: fitsProbability(q, cap), uncapped };
};

/**
 * Latency: time to first token from live p95 (else the catalog prior) plus the expected output at
 * the live (else catalog) tokens/s. Non-streaming traffic measures no TTFT: then the live total
 * p95 stands in.
 */
const predictLatency = (t: Target, input: PlanInput, outputTokens: number): { ttftMs: number; latencyMs: number } => {
  const live = input.stats.get(t.id);
  const ttftMs = live?.ttftP95Ms ?? t.model.latency.ttftMs;
  const tps = live?.tokensPerSecond ?? t.model.latency.tokensPerSecond;
  const fromParts = ttftMs + (1000 * outputTokens) / tps;
  return { ttftMs, latencyMs: live?.ttftP95Ms === null && live.latencyP95Ms !== null ? live.latencyP95Ms : fromParts };
};

/**
 * One candidate's predictions. `pModel` is the model's P(quality) on this prompt (computed once per
 * model, shared by its settings variants). Cost: the artefact's learned per-task rate (it knows the
 * model's typical answer length), less the output a tighter cap saves; catalog prices × expected
 * tokens for a model the artefact has not seen. Temperature and reasoning effort do not change the
 * predictions: no training set records outcomes under different settings.
 */
export const predictCandidate = (t: Target, input: PlanInput, m: ArtifactModel | undefined, pModel: number): CandidateEstimate => {
  const { features } = input;
  const cap = outputCap(t, features.requestedMaxTokens);
  const out = outputUnderCap(m, features.taskType, cap);
  const tokens = Math.max(1, features.inputTokens);
  const costUsd = m
    ? Math.max(0, (m.costPerInputTokenByTask.get(features.taskType) ?? m.costPerInputToken) * tokens - ((out.uncapped - out.tokens) * t.model.prices.outputPerMtok) / 1e6)
    : catalogCostUsd(t, tokens, out.tokens);
  return { target: t, pQuality: pModel * out.fits, outputTokens: out.tokens, costUsd, ...predictLatency(t, input, out.tokens) };
};

export const toConsidered = (e: CandidateEstimate, excluded?: string): CandidatePrediction => ({
  targetId: e.target.id, pQuality: Math.round(e.pQuality * 1e4) / 1e4, expectedOutputTokens: Math.round(e.outputTokens),
  expectedCostMicroUsd: Math.round(e.costUsd * 1e6), expectedTtftMs: Math.round(e.ttftMs), expectedLatencyMs: Math.round(e.latencyMs),
  ...(excluded ? { excluded } : {}),
});
