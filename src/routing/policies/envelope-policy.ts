import type { RoutingPolicy } from '../../spec/routing.js';
import { chooseByFloor, chooseByUtility, type Prediction } from '../choose-target.js';
import type { EnvelopePolicyConfig } from '../policy-config.js';
import { clusterOf } from '../predict-quality.js';
import { qualityTableOf } from '../quality-table.js';
import { predictCandidate, toConsidered, type CandidateEstimate } from '../predict-candidate.js';
import type { RouterArtifact } from '../router-artifact.js';
import { toTextVector } from '../text-vector.js';

type Scored = CandidateEstimate & Prediction;

/**
 * The default learned policy: minimise predicted cost subject to P(quality) ≥ the request's floor,
 * predicted latency ≤ its SLO and cost ≤ its budget (or, in `utility` mode, maximise
 * P(quality) − λ·cost). Every candidate is a model with its settings, predicted on its own
 * (src/routing/predict-candidate.ts). The rest follow as the fallback chain, strongest first.
 */
export const createEnvelopePolicy = (config: EnvelopePolicyConfig, artifact: RouterArtifact, version: string): RoutingPolicy => {
  const table = qualityTableOf(artifact);
  const column = new Map(table.models.map((id, j) => [id, j]));
  return {
    name: 'envelope',
    version: `${version}+${artifact.version}`,
    plan: (input) => {
      const x = toTextVector(input.features);
      // Every known model's P(quality) in one pass, shared by a model's settings variants.
      const p = table.predictAll(x, clusterOf(artifact, x), new Float64Array(table.models.length));
      const scored: Scored[] = input.candidates.map((t) => {
        const j = column.get(t.model.id);
        const pModel = j === undefined ? config.unknownModelQuality : (p[j] ?? config.unknownModelQuality);
        return { ...predictCandidate(t, input, artifact.models.get(t.model.id), pModel), model: t.id };
      });
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
      return {
        targets: [...(choice ? [choice.target] : []), ...rest.map((s) => s.target)],
        decision: { policy: 'envelope', policyVersion: `${version}+${artifact.version}`, reason, propensity: 1, considered: scored.map((s) => toConsidered(s, excluded.get(s))) },
      };
    },
  };
};
