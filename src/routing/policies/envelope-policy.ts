import type { Target } from '../../spec/catalog.js';
import type { RoutingPolicy } from '../../spec/routing.js';
import { chooseByFloor, chooseByUtility } from '../choose-target.js';
import type { EnvelopePolicyConfig } from '../policy-config.js';
import { qualityTableOf } from '../quality-table.js';
import { predictCandidate, toConsidered, type CandidateEstimate } from '../predict-candidate.js';
import type { RouterArtifact } from '../router-artifact.js';
import { createPanelGuard } from './panel-guard.js';
import { toTextVector } from '../text-vector.js';

/** Why a candidate is out of the envelope (undefined: it is in). */
const exclusion = (s: CandidateEstimate, maxCostUsd: number, slo: number | undefined): string | undefined => {
  if (s.costUsd > maxCostUsd) return 'over-budget';
  if (slo !== undefined && s.latencyMs > slo) return 'over-latency-slo';
  return undefined;
};

/** The choice first, then the others strongest first (a stable sort: ties keep candidate order). */
const fallbackOrder = (scored: readonly CandidateEstimate[], choice: CandidateEstimate | undefined): Target[] => {
  const rest = scored.filter((s) => s !== choice).sort((a, b) => b.pQuality - a.pQuality);
  const targets = choice ? [choice.target] : [];
  for (const s of rest) targets.push(s.target);
  return targets;
};

/**
 * The default learned policy: minimise predicted cost subject to P(quality) ≥ the request's floor,
 * predicted latency ≤ its SLO and cost ≤ its budget (or, in `utility` mode, maximise
 * P(quality) − λ·cost). Every candidate is a model with its settings, predicted on its own
 * (src/routing/predict-candidate.ts). The rest follow as the fallback chain, strongest first.
 * With a `panel`, cheap members answer first when the choice costs more than they do (panel-guard.ts).
 */
export const createEnvelopePolicy = (config: EnvelopePolicyConfig, artifact: RouterArtifact, version: string): RoutingPolicy => {
  const table = qualityTableOf(artifact);
  const column = new Map(table.models.map((id, j) => [id, j]));
  const policyVersion = `${version}+${artifact.version}`;
  // Plans are synchronous: one scratch array for the models' P(quality) serves every request.
  const p = new Float64Array(table.models.length);
  const guard = config.panel ? createPanelGuard(config.panel) : undefined;
  return {
    name: 'envelope',
    version: policyVersion,
    plan: (input) => {
      const x = toTextVector(input.features);
      // Every known model's P(quality) and the prompt's cluster in one pass, shared by a model's settings variants.
      const cluster = table.predictAll(x, p);
      const scored: CandidateEstimate[] = [];
      for (const t of input.candidates) {
        const j = column.get(t.model.id);
        const pModel = j === undefined ? config.unknownModelQuality : (p[j] ?? config.unknownModelQuality);
        scored.push(predictCandidate(t, input, artifact.models.get(t.model.id), pModel, cluster));
      }
      const slo = input.context.latencySloMs ?? config.latencySloMs;
      const maxCostUsd = input.context.maxCostMicroUsd === undefined ? Infinity : input.context.maxCostMicroUsd / 1e6;
      const excluded = scored.map((s) => exclusion(s, maxCostUsd, slo));
      const eligible = excluded.includes(undefined) ? (excluded.every((e) => e === undefined) ? scored : scored.filter((_, i) => excluded[i] === undefined)) : [];
      const pool = eligible.length > 0 ? eligible : scored;
      const floor = input.context.qualityFloor ?? config.qualityFloor;
      const choice = (config.mode === 'utility' ? chooseByUtility(pool, config.lambda) : chooseByFloor(pool, floor)) as CandidateEstimate | undefined;
      const meets = choice !== undefined && choice.pQuality >= floor;
      const reason = eligible.length === 0 ? 'nothing-within-envelope:best-effort' : config.mode === 'utility' ? 'max-utility' : meets ? 'cheapest-meeting-floor' : 'none-meets-floor:most-likely-good';
      const targets = fallbackOrder(scored, choice);
      const guarded = guard?.(eligible, choice, targets);
      const decision = { policy: 'envelope', policyVersion, reason: guarded ? `${reason}+panel` : reason, propensity: 1, considered: scored.map((s, i) => toConsidered(s, excluded[i])) };
      return guarded ? { targets: guarded.targets, decision, cascade: guarded.cascade } : { targets, decision };
    },
  };
};
