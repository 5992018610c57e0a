import type { RoutingPolicy } from '../../spec/routing.js';

/** The route's targets in configured order: the first candidate serves, the rest are its fallbacks. */
export const createFixedPolicy = (version: string): RoutingPolicy => ({
  name: 'fixed',
  version,
  plan: ({ candidates }) => ({
    targets: [...candidates],
    decision: {
      policy: 'fixed', policyVersion: version, reason: 'configured-order', propensity: 1,
      considered: candidates.map((c) => ({ targetId: c.id })),
    },
  }),
});
