import type { CandidatePrediction, RoutingPolicy } from '../../spec/routing.js';
import { catalogCostEstimate } from '../catalog-estimates.js';
import type { CascadePolicyConfig } from '../policy-config.js';
import { panelAcceptor } from '../scorers/answer-key.js';
import type { AnswerScorer } from '../scorers/answer-scorer.js';

/**
 * Cascade: the cheapest candidate answers first; the gateway asks the scorer about each
 * (non-streaming) answer and escalates to the next candidate when it scores below `acceptAt`.
 * With a panel, the cheapest `panel.size` candidates answer together and stand when they agree.
 * Every attempt is billed (one ledger row each), so a cascade pays for the escalations it makes.
 */
export const createCascadePolicy = (config: CascadePolicyConfig, scorer: AnswerScorer, version: string): RoutingPolicy => {
  const panel = config.panel ? { size: config.panel.size, judge: panelAcceptor(config.panel.size, config.panel) } : undefined;
  const reason = `cascade:${config.order}:${panel ? `panel${panel.size}+` : ''}${scorer.name}`;
  return {
    name: 'cascade',
    version,
    plan: (input) => {
      const costs = new Map(input.candidates.map((t) => [t, catalogCostEstimate(t, input)]));
      const ordered = config.order === 'configured' ? [...input.candidates] : [...input.candidates].sort((a, b) => (costs.get(a) ?? 0) - (costs.get(b) ?? 0));
      const considered: CandidatePrediction[] = ordered.map((t) => ({ targetId: t.id, expectedCostMicroUsd: Math.round((costs.get(t) ?? 0) * 1e6) }));
      const { request } = input;
      return {
        targets: ordered,
        decision: { policy: 'cascade', policyVersion: version, reason, propensity: 1, considered },
        cascade: { shouldEscalate: (response, features) => scorer.score({ request, features, response }).quality < config.acceptAt, panel },
      };
    },
  };
};
