import { tenantsAndTiers, type ResolvedConfig, type ResolvedRoute } from '../config/resolve-config.js';
import { ConfigError, formatPath } from '../config/config-error.js';
import type { GatewayRoute } from '../gateway/handle-chat.js';
import { artifactPathsOf, createPolicy, policyConfigSchema, type PolicyConfig } from '../routing/policy-config.js';
import { loadArtifact, type RouterArtifact } from '../routing/router-artifact.js';
import type { SharedStats } from '../spec/state.js';
import { createMemorySharedStats } from '../state/memory-shared-stats.js';
import type { AnswerScorer } from '../routing/scorers/answer-scorer.js';
import { tenantLambda } from '../learning/budget-pacing.js';

/**
 * What a policy's config names that the rest of the config must have: a rule's targets among the
 * route's, a per-tenant policy's tenants and tiers among the configured ones. Otherwise the rule
 * would match and silently do nothing, or the tenant's policy never apply.
 */
const crossCheck = (policy: PolicyConfig, route: ResolvedRoute, resolved: ResolvedConfig, at: string): string[] => {
  const issues: string[] = [];
  if (policy.type === 'rules') {
    const known = [...route.targets, ...route.fallbacks];
    policy.rules.forEach((rule, i) => rule.targets.forEach((id, j) => {
      if (!known.some((t) => t.id === id || t.model.id === id)) issues.push(`${at}.rules[${i}].targets[${j}]: '${id}' is not a target of route '${route.name}'`);
    }));
  }
  if (policy.type === 'cascade' && policy.panel) {
    const n = new Set([...route.targets, ...route.fallbacks].map((t) => t.id)).size;
    if (n <= policy.panel.size) issues.push(`${at}.panel.size: a panel of ${policy.panel.size} needs at least ${policy.panel.size + 1} targets (members, then where to escalate); route '${route.name}' has ${n}`);
  }
  if (policy.type === 'envelope' && policy.panel) {
    policy.panel.members.forEach((id, j) => {
      if (!route.targets.some((t) => t.id === id || t.model.id === id)) issues.push(`${at}.panel.members[${j}]: '${id}' is not a target of route '${route.name}'`);
    });
  }
  if (policy.type === 'per-tenant') {
    const { tenants, tiers } = tenantsAndTiers(resolved.config);
    for (const id of Object.keys(policy.tenants)) if (!tenants.has(id)) issues.push(`${at}.tenants.${id}: unknown tenant '${id}'`);
    for (const tier of Object.keys(policy.tiers)) if (!tiers.has(tier)) issues.push(`${at}.tiers.${tier}: no tenant has tier '${tier}'`);
    const nested: Array<[string, PolicyConfig]> = [
      ...Object.entries(policy.tenants).map(([k, v]): [string, PolicyConfig] => [`tenants.${k}`, v]),
      ...Object.entries(policy.tiers).map(([k, v]): [string, PolicyConfig] => [`tiers.${k}`, v]),
      ['default', policy.default],
    ];
    for (const [key, sub] of nested) issues.push(...crossCheck(sub, route, resolved, `${at}.${key}`));
  }
  return issues;
};

/**
 * Every name a client may put in `model`: each configured route with its policy, and each catalog
 * model as a single-target route (a client naming a model gets exactly that model).
 */
export const buildRoutes = async (
  resolved: ResolvedConfig,
  stats: SharedStats = createMemorySharedStats(),
  scorers?: ReadonlyMap<string, AnswerScorer>,
  /** λ of a tenant for the learning policies (the gateway's follows budgets: see budget-pacing). */
  lambdaFor: (tenant: string) => number = tenantLambda(resolved.config.learning),
): Promise<Map<string, GatewayRoute>> => {
  const artifacts = new Map<string, RouterArtifact>();
  const routes = new Map<string, GatewayRoute>();
  const issues: string[] = [];
  let index = 0;
  for (const route of resolved.routes.values()) {
    const parsed = policyConfigSchema.safeParse(route.policy);
    if (!parsed.success) {
      for (const i of parsed.error.issues) issues.push(`routes[${index}].policy${i.path.length ? '.' + formatPath(i.path) : ''}: ${i.message}`);
    } else {
      issues.push(...crossCheck(parsed.data, route, resolved, `routes[${index}].policy`));
      try {
        for (const path of artifactPathsOf(parsed.data)) if (!artifacts.has(path)) artifacts.set(path, await loadArtifact(path));
        routes.set(route.name, { name: route.name, targets: route.targets, fallbacks: route.fallbacks, policy: createPolicy(parsed.data, { artifacts, scorers, bandit: { route: route.name, stats, lambdaFor } }) });
      } catch (err) {
        issues.push(`routes[${index}].policy: ${(err as Error).message}`);
      }
    }
    index += 1;
  }
  if (issues.length > 0) throw new ConfigError(resolved.source, issues);
  const direct = createPolicy(policyConfigSchema.parse({ type: 'fixed' }), {});
  for (const [id, target] of resolved.modelTargets) routes.set(id, { name: id, targets: [target], fallbacks: [], policy: direct });
  return routes;
};
