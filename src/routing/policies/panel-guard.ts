import type { Target } from '../../spec/catalog.js';
import type { RoutingPlan } from '../../spec/routing.js';
import type { CandidateEstimate } from '../predict-candidate.js';
import { panelAcceptor, type PanelAnswerOptions } from '../scorers/answer-key.js';

export interface PanelGuardConfig extends PanelAnswerOptions {
  /** Target (or model) ids of the route's cheap members. */
  members: readonly string[];
}

/**
 * A panel in front of a learned policy's expensive choices: when the chosen candidate is predicted
 * to cost more than the members together, the members answer first as a cascade panel (src/gateway/
 * run-fallback-chain.ts) and their answer stands when they agree; otherwise the chosen candidate
 * answers; the members go cheapest first by predicted cost, so the cheapest one's answer stands. Not
 * when a member is out of the envelope (`pool`: the candidates within it; filtered, over budget or
 * SLO), or is the choice itself. Returns null when it stands aside.
 */
export const createPanelGuard = (config: PanelGuardConfig) => {
  const panel = { size: config.members.length, judge: panelAcceptor(config.members.length, config) };
  const cascade: NonNullable<RoutingPlan['cascade']> = { shouldEscalate: () => false, escalates: false, panel };
  return (pool: readonly CandidateEstimate[], choice: CandidateEstimate | undefined, targets: readonly Target[]): { targets: Target[]; cascade: NonNullable<RoutingPlan['cascade']> } | null => {
    if (!choice) return null;
    const found: CandidateEstimate[] = [];
    let cost = 0;
    for (const id of config.members) {
      const m = pool.find((s) => s.target.id === id) ?? pool.find((s) => s.target.model.id === id);
      if (!m || m === choice || found.includes(m)) return null;
      found.push(m);
      cost += m.costUsd;
    }
    if (choice.costUsd <= cost) return null;
    // Cheapest first: the first member's answer is the one that stands.
    const members = found.sort((a, b) => a.costUsd - b.costUsd).map((m) => m.target);
    return { targets: [...members, ...targets.filter((t) => !members.includes(t))], cascade };
  };
};
