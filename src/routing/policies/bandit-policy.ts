import type { Target } from '../../spec/catalog.js';
import type { CandidatePrediction, LearningOutcome, PlanInput, PolicyLearner, RoutingPlan, RoutingPolicy } from '../../spec/routing.js';
import type { SharedStats } from '../../spec/state.js';
import { catalogCostEstimate } from '../catalog-estimates.js';
import { predictArm } from './bandit-policy-arm.js';
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

interface Scored {
  target: Target;
  mean: number;
  lcb: number;
  score: number;
  costMicroUsd: number;
}

/** Prior P(quality): configured, else by price rank (the pricier, the stronger) between 0.55 and 0.85. */
const priorOf = (config: BanditPolicyConfig, candidates: readonly Target[], t: Target): number => {
  const configured = config.prior[t.model.id];
  if (configured !== undefined) return configured;
  const price = (x: Target): number => x.model.prices.inputPerMtok + x.model.prices.outputPerMtok;
  const cheaper = candidates.filter((c) => price(c) < price(t)).length;
  return candidates.length > 1 ? 0.55 + (0.3 * cheaper) / (candidates.length - 1) : 0.7;
};

/**
 * Online contextual bandit over a route's candidates (LinUCB on quality, reward = quality − λ·cost).
 *
 * Safety: a candidate is *safe* when its lower confidence bound of quality (q̂ − β·width) reaches the
 * segment's floor (premium tiers, high-value product lines, the request's own floor). Neither the
 * optimistic UCB choice nor the ε exploration ever leaves the safe set; with no safe candidate the
 * policy serves the one with the best lower bound (the strongest known), deterministically.
 *
 * Propensities are exact: the greedy safe arm has (1−ε) + ε/|safe|, every other safe arm ε/|safe|,
 * unsafe arms 0 — what off-policy evaluation needs. Exploration (ε and α) is multiplied for segments
 * whose share of traffic grew since the last volume snapshot, and after a drift event.
 */
export const createBanditPolicy = (config: BanditPolicyConfig, deps: BanditDeps, configVersion: string): RoutingPolicy => {
  const state = createBanditState(deps.stats, deps.route, config.priorStrength);
  const volumes = createSegmentVolumes(config.volumeWindow, config.maxExplorationBoost);
  let version = configVersion;

  const score = (input: PlanInput, x: number[], lambda: number, boost: number): Scored[] =>
    input.candidates.map((target) => {
      const { model } = state.armFor(input.context.tenant, target.id, priorOf(config, input.candidates, target), config.minTenantObservations);
      const { mean, width } = predictArm(model, x);
      const costMicroUsd = Math.round(catalogCostEstimate(target, input) * 1e6);
      return { target, mean, lcb: mean - config.beta * width, score: mean + config.alpha * boost * width - (lambda * costMicroUsd) / 1e6, costMicroUsd };
    });

  const plan = (input: PlanInput): RoutingPlan => {
    const x = contextVector(input.features);
    const segment = segmentOf(input.context.tier, input.features);
    const floor = Math.max(floorFor(config.floors, input.context.tier, input.context.tags), input.context.qualityFloor ?? 0);
    const boost = volumes.boost(segment);
    const scored = score(input, x, config.lambda ?? deps.lambdaFor(input.context.tenant), boost);
    const safe = scored.filter((s) => s.lcb >= floor);
    let chosen: Scored;
    let propensity = 1;
    let reason: string;
    if (safe.length === 0) {
      chosen = scored.reduce((best, s) => (s.lcb > best.lcb ? s : best));
      reason = `no-candidate-meets-floor:${floor}`;
    } else {
      const greedy = safe.reduce((best, s) => (s.score > best.score ? s : best));
      const epsilon = Math.min(1, config.epsilon * boost);
      const explore = input.random() < epsilon;
      chosen = explore ? (safe[Math.min(safe.length - 1, Math.floor(input.random() * safe.length))] as Scored) : greedy;
      propensity = (chosen === greedy ? 1 - epsilon : 0) + epsilon / safe.length;
      reason = explore ? 'explore' : 'ucb';
    }
    const rest = scored.filter((s) => s !== chosen).sort((a, b) => b.lcb - a.lcb);
    const considered: CandidatePrediction[] = scored.map((s) => ({
      targetId: s.target.id, pQuality: Math.min(1, Math.max(0, s.mean)), expectedCostMicroUsd: s.costMicroUsd,
      ...(s.lcb < floor ? { excluded: 'below-floor' } : {}),
    }));
    return {
      targets: [chosen.target, ...rest.map((s) => s.target)],
      decision: { policy: 'bandit', policyVersion: version, reason, propensity, considered, context: x, segment },
    };
  };

  const learner: PolicyLearner = {
    learn(o: LearningOutcome) {
      const target = o.chosen;
      state.observe(o.tenant, target, o.context, o.quality, o.weight, config.prior[target] ?? 0.7);
    },
    observe: (decision) => volumes.add(decision.segment ?? '*'),
    onDrift(segment) {
      state.discount(config.driftDiscount);
      volumes.drifted(segment);
    },
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
