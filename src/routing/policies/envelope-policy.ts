import type { Target } from '../../spec/catalog.js';
import type { CandidatePrediction, PlanInput, RoutingPolicy } from '../../spec/routing.js';
import { chooseByFloor, chooseByUtility, type Prediction } from '../choose-target.js';
import type { EnvelopePolicyConfig } from '../policy-config.js';
import type { RouterArtifact } from '../router-artifact.js';
import { toTextVector } from '../text-vector.js';

/** Output tokens assumed when pricing a model the artefact does not know. */
const DEFAULT_OUTPUT_TOKENS = 256;

interface Scored extends Prediction {
  target: Target;
  latencyMs: number;
}

/**
 * Cost per request of a target: the artefact's learned rate for that model and task (it knows how
 * long each model's answers to such prompts run), else catalog prices × (prompt + a default
 * answer length, capped by the target's max tokens).
 */
const predictCost = (t: Target, input: PlanInput, artifact: RouterArtifact): number => {
  const m = artifact.models.get(t.model.id);
  const tokens = Math.max(1, input.features.inputTokens);
  if (m) return (m.costPerInputTokenByTask.get(input.features.taskType) ?? m.costPerInputToken) * tokens;
  const out = Math.min(t.params.maxTokens ?? DEFAULT_OUTPUT_TOKENS, input.features.requestedMaxTokens ?? DEFAULT_OUTPUT_TOKENS);
  const p = t.model.prices;
  return (tokens * p.inputPerMtok + out * p.outputPerMtok) / 1e6 + p.perRequest;
};

const predictLatency = (t: Target, input: PlanInput): number => {
  const live = input.stats.get(t.id)?.latencyP95Ms;
  if (live !== null && live !== undefined) return live;
  const out = Math.min(t.params.maxTokens ?? DEFAULT_OUTPUT_TOKENS, input.features.requestedMaxTokens ?? DEFAULT_OUTPUT_TOKENS);
  return t.model.latency.ttftMs + (1000 * out) / t.model.latency.tokensPerSecond;
};

/**
 * The default learned policy: minimise predicted cost subject to P(quality) ≥ the request's floor,
 * predicted latency ≤ its SLO and cost ≤ its budget (or, in `utility` mode, maximise
 * P(quality) − λ·cost). The rest of the candidates follow as the fallback chain, strongest first.
 */
export const createEnvelopePolicy = (config: EnvelopePolicyConfig, artifact: RouterArtifact, version: string): RoutingPolicy => ({
  name: 'envelope',
  version: `${version}+${artifact.version}`,
  plan: (input) => {
    const x = toTextVector(input.features);
    const scored: Scored[] = input.candidates.map((t) => ({
      target: t,
      model: t.id,
      pQuality: artifact.models.get(t.model.id)?.quality.predict(x) ?? config.unknownModelQuality,
      costUsd: predictCost(t, input, artifact),
      latencyMs: predictLatency(t, input),
    }));
    const slo = input.context.latencySloMs ?? config.latencySloMs;
    const maxCostUsd = input.context.maxCostMicroUsd === undefined ? Infinity : input.context.maxCostMicroUsd / 1e6;
    const excluded = new Map<Scored, string>();
    for (const s of scored) {
      if (s.costUsd > maxCostUsd) excluded.set(s, 'over-budget');
      else if (slo !== undefined && s.latencyMs > slo) excluded.set(s, 'over-latency-slo');
    }
    const eligible = scored.filter((s) => !excluded.has(s));
    const pool = eligible.length > 0 ? eligible : scored;
    const floor = input.context.qualityFloor ?? config.qualityFloor;
    const choice = (config.mode === 'utility' ? chooseByUtility(pool, config.lambda) : chooseByFloor(pool, floor)) as Scored | undefined;
    const rest = scored.filter((s) => s !== choice).sort((a, b) => b.pQuality - a.pQuality);
    const meets = choice !== undefined && choice.pQuality >= floor;
    const reason = eligible.length === 0 ? 'nothing-within-envelope:best-effort' : config.mode === 'utility' ? 'max-utility' : meets ? 'cheapest-meeting-floor' : 'none-meets-floor:most-likely-good';
    const considered: CandidatePrediction[] = scored.map((s) => ({
      targetId: s.target.id, pQuality: Number(s.pQuality.toFixed(4)), expectedCostMicroUsd: Math.round(s.costUsd * 1e6),
      expectedLatencyMs: Math.round(s.latencyMs), ...(excluded.has(s) ? { excluded: excluded.get(s) } : {}),
    }));
    return {
      targets: [...(choice ? [choice.target] : []), ...rest.map((s) => s.target)],
      decision: { policy: 'envelope', policyVersion: `${version}+${artifact.version}`, reason, propensity: 1, considered },
    };
  },
});
