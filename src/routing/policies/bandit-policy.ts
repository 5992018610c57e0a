import type { Target } from '../../spec/catalog.js';
import type { CandidatePrediction, Decision, LearningOutcome, PlanInput, PolicyLearner, RoutingPlan, RoutingPolicy } from '../../spec/routing.js';
import type { SharedStats } from '../../spec/state.js';
import { catalogCostEstimate } from '../catalog-estimates.js';
import { nonZeros, predictArm } from './bandit-policy-arm.js';
import { chooseArm, lowerBound, type ArmChoice, type ScoredArm } from './bandit-policy-choice.js';
import { floorFor, type BanditPolicyConfig } from './bandit-policy-config.js';
import { contextVector, segmentOf } from './bandit-policy-context.js';
import { createBanditState } from './bandit-policy-state.js';
import { createSegmentVolumes } from './bandit-policy-volumes.js';

export interface BanditDeps {
  route: string;
  stats: SharedStats;
  /** λ (per USD) of a tenant: its cost target, else the learning default. */
  lambdaFor(tenant: string): number;
}

/**
 * Prior P(quality) of each candidate: configured, else by price rank (the pricier, the stronger)
 * between 0.55 and 0.85. One pass over the prices per request, no allocation per candidate.
 */
const priorsOf = (config: BanditPolicyConfig, candidates: readonly Target[]): number[] => {
  const price = candidates.map((x) => x.model.prices.inputPerMtok + x.model.prices.outputPerMtok);
  return candidates.map((t, i) => {
    const configured = config.prior[t.model.id];
    if (configured !== undefined) return configured;
    if (candidates.length < 2) return 0.7;
    let cheaper = 0;
    for (const p of price) if (p < (price[i] ?? 0)) cheaper += 1;
    return 0.55 + (0.3 * cheaper) / (candidates.length - 1);
  });
};

/**
 * Online contextual bandit over a route's candidates (linear Thompson sampling or LinUCB on quality,
 * reward = quality − λ·cost).
 *
 * Safety: a candidate is *safe* when its lower confidence bound of quality (q̂ − β·width) reaches the
 * segment's floor (premium tiers, high-value product lines, the request's own floor). Neither the
 * Thompson (or UCB) choice nor the ε exploration ever leaves the safe set; with no safe candidate the
 * policy serves the one with the best lower bound (the strongest known), deterministically.
 *
 * Only quality is uncertain (cost is known before the call), so arms whose best possible reward
 * cannot beat the best safe arm's worst are eliminated (see chooseArm). Propensities are computed, not
 * sampled — what off-policy evaluation needs. Exploration (ε, and α or the Thompson spread) is multiplied for segments whose share of
 * traffic grew since the last volume snapshot, and for the segments a drift event names.
 */
export const createBanditPolicy = (config: BanditPolicyConfig, deps: BanditDeps, configVersion: string): RoutingPolicy => {
  const state = createBanditState(deps.stats, deps.route, config.priorStrength);
  const volumes = createSegmentVolumes(config.volumeWindow, config.maxExplorationBoost);
  let version = configVersion;

  const score = (input: PlanInput, x: number[], lambda: number): ScoredArm[] => {
    const priors = priorsOf(config, input.candidates);
    const nz = nonZeros(x);
    return input.candidates.map((target, i) => {
      const model = state.armFor(input.context.tenant, target.id, priors[i] ?? 0.7, config.minTenantObservations);
      const { mean, width } = predictArm(model, x, nz);
      const costMicroUsd = Math.round(catalogCostEstimate(target, input) * 1e6);
      return { target, mean, width, penalty: (lambda * costMicroUsd) / 1e6, costMicroUsd };
    });
  };

  const plan = (input: PlanInput): RoutingPlan => {
    const x = contextVector(input.features);
    const segment = segmentOf(input.context.tier, input.features);
    const floor = Math.max(floorFor(config.floors, input.context.tier, input.context.tags), input.context.qualityFloor ?? 0);
    const boost = volumes.boost(segment);
    const scored = score(input, x, config.lambda ?? deps.lambdaFor(input.context.tenant));
    const choice = chooseArm(scored, {
      floor, beta: config.beta, alpha: config.alpha * boost, elimination: config.elimination, epsilon: config.epsilon * boost,
      exploration: config.exploration, thompsonScale: config.thompsonScale * boost,
    }, input.random);
    const { chosen, reason } = choice;
    const rest = scored.filter((s) => s !== chosen).sort((a, b) => lowerBound(b, config.beta) - lowerBound(a, config.beta));
    const considered: CandidatePrediction[] = scored.map((s) => ({
      targetId: s.target.id, pQuality: Math.min(1, Math.max(0, s.mean)), expectedCostMicroUsd: s.costMicroUsd,
      ...(lowerBound(s, config.beta) < floor ? { excluded: 'below-floor' } : {}),
    }));
    return {
      targets: [chosen.target, ...rest.map((s) => s.target)],
      // Read by the decision log after the answer; Thompson's propensity is computed then (bandit-policy-choice.ts).
      decision: new BanditDecision(version, reason, considered, x, segment, choice),
    };
  };

  const learner: PolicyLearner = {
    learn(o: LearningOutcome) {
      const target = o.chosen;
      state.observe(o.tenant, target, o.context, o.quality, o.weight, config.prior[target] ?? 0.7);
    },
    observe: (decision) => volumes.add(decision.segment ?? '*'),
    onDrift(segment, kind = 'outcomes') {
      // Only a change of outcomes makes evidence stale; a new task mix needs exploration where it grew.
      if (kind === 'outcomes') state.discount(config.driftDiscount);
      volumes.drifted(segment);
    },
    retrain: (outcomes) => state.refit(outcomes),
    refresh: () => state.refresh(),
    snapshot: () => state.snapshot(),
    restore(blob, versionId) {
      state.restore(blob);
      version = versionId;
    },
    setVersion(versionId) {
      version = versionId;
    },
  };

  return {
    name: 'bandit',
    get version() {
      return version;
    },
    plan,
    learner,
  };
};

/**
 * The bandit's decision, its propensity read through from the choice (computed on first read for
 * Thompson sampling). A class, not a literal with a getter, which V8 would keep in dictionary mode.
 */
class BanditDecision implements Decision {
  readonly policy = 'bandit';

  constructor(
    readonly policyVersion: string,
    readonly reason: string,
    readonly considered: CandidatePrediction[],
    readonly context: number[],
    readonly segment: string,
    choice: ArmChoice,
  ) {
    this.#choice = choice;
  }

  readonly #choice: ArmChoice;

  get propensity(): number {
    return this.#choice.propensity;
  }
}
