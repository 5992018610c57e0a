import type { RoutingPolicy } from '../../spec/routing.js';

export interface PerTenantPolicies {
  byTenant: ReadonlyMap<string, RoutingPolicy>;
  byTier: ReadonlyMap<string, RoutingPolicy>;
  fallback: RoutingPolicy;
}

/**
 * Per-tenant policy selection on one route: the tenant's own policy, else its tier's, else the
 * route's default. The chosen policy plans; the decision keeps its predictions and says in the
 * reason which policy decided and why it was picked (`tenant:acme>cascade:…`).
 */
export const createPerTenantPolicy = (policies: PerTenantPolicies, version: string): RoutingPolicy => ({
  name: 'per-tenant',
  version,
  plan: (input) => {
    const { tenant, tier } = input.context;
    const own = policies.byTenant.get(tenant);
    const ofTier = own ? undefined : policies.byTier.get(tier);
    const [why, delegate] = own ? [`tenant:${tenant}`, own] : ofTier ? [`tier:${tier}`, ofTier] : ['default', policies.fallback];
    const plan = delegate.plan(input);
    return {
      ...plan,
      // propensity by name: a delegate may compute it in a getter, which a spread would not copy.
      decision: { ...plan.decision, propensity: plan.decision.propensity, policy: 'per-tenant', policyVersion: version, reason: `${why}>${delegate.name}@${delegate.version}:${plan.decision.reason}` },
    };
  },
});
