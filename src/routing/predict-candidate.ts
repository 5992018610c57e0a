import type { Target } from '../spec/catalog.js';
import type { CandidatePrediction, PlanInput, TargetStats } from '../spec/routing.js';
import { DEFAULT_OUTPUT_TOKENS, catalogCostUsd, outputCap } from './catalog-estimates.js';
import { learnedCostUsd } from './predict-cost.js';
import { expectedCappedLength, fitsProbability } from './output-length.js';
import type { ArtifactModel } from './router-artifact.js';

/** What a learned policy predicts for one candidate (a model with its generation settings). */
export interface CandidateEstimate {
  target: Target;
  /** The target's id (as the choice rules read it). */
  model: string;
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
const uncappedOutput = (m: ArtifactModel | undefined, task: string): number => {
  const out = m?.outputTokens;
  return out ? (out.byTask.get(task) ?? out.mean) : DEFAULT_OUTPUT_TOKENS;
};
const outputQuantiles = (m: ArtifactModel | undefined, task: string): readonly number[] | undefined => {
  const out = m?.outputTokens;
  return out ? (out.quantiles.get(task) ?? out.quantiles.get('*')) : undefined;
};
const cappedOutput = (q: readonly number[] | undefined, uncapped: number, cap: number): number => {
  if (!q) return Math.min(uncapped, cap);
  return cap >= (q[q.length - 1] ?? 0) ? uncapped : expectedCappedLength(q, cap);
};
const fitsUnderCap = (q: readonly number[] | undefined, cap: number): number => (!q || cap >= (q[q.length - 1] ?? 0) ? 1 : fitsProbability(q, cap));

/**
 * Latency: time to first token from live p95 (else the catalog prior) plus the expected output at
 * the live (else catalog) tokens/s. Non-streaming traffic measures no TTFT: then the live total
 * p95 stands in.
 */
const predictTtft = (t: Target, live: TargetStats | undefined): number => live?.ttftP95Ms ?? t.model.latency.ttftMs;
const predictLatency = (t: Target, live: TargetStats | undefined, outputTokens: number): number => {
  if (live?.ttftP95Ms === null && live.latencyP95Ms !== null) return live.latencyP95Ms;
  const tps = live?.tokensPerSecond ?? t.model.latency.tokensPerSecond;
  return predictTtft(t, live) + (1000 * outputTokens) / tps;
};

/**
 * One candidate's predictions. `pModel` is the model's P(quality) on this prompt (computed once per
 * model, shared by its settings variants); `cluster` its learned prompt cluster (-1: none). Cost:
 * the artefact's learned cost in that cluster, else its per-task rate (it knows the model's typical
 * answer length), less the output a tighter cap saves; catalog prices × expected
 * tokens for a model the artefact has not seen. Temperature and reasoning effort do not change the
 * predictions: no training set records outcomes under different settings. One object per
 * candidate and no intermediate ones: this runs for every candidate of every request.
 */
export const predictCandidate = (t: Target, input: PlanInput, m: ArtifactModel | undefined, pModel: number, cluster = -1): CandidateEstimate => {
  const { features } = input;
  const task = features.taskType;
  const cap = outputCap(t, features.requestedMaxTokens);
  const q = outputQuantiles(m, task);
  const uncapped = uncappedOutput(m, task);
  const outputTokens = cappedOutput(q, uncapped, cap);
  const tokens = Math.max(1, features.inputTokens);
  const costUsd = m
    ? Math.max(0, learnedCostUsd(m, task, cluster, tokens) - ((uncapped - outputTokens) * t.model.prices.outputPerMtok) / 1e6)
    : catalogCostUsd(t, tokens, outputTokens);
  const live = input.stats.get(t.id);
  return {
    target: t, model: t.id, pQuality: pModel * fitsUnderCap(q, cap), outputTokens, costUsd,
    ttftMs: predictTtft(t, live), latencyMs: predictLatency(t, live, outputTokens),
  };
};

export const toConsidered = (e: CandidateEstimate, excluded?: string): CandidatePrediction => {
  const c: CandidatePrediction = {
    targetId: e.target.id, pQuality: Math.round(e.pQuality * 1e4) / 1e4, expectedOutputTokens: Math.round(e.outputTokens),
    expectedCostMicroUsd: Math.round(e.costUsd * 1e6), expectedTtftMs: Math.round(e.ttftMs), expectedLatencyMs: Math.round(e.latencyMs),
  };
  if (excluded) c.excluded = excluded;
  return c;
};
