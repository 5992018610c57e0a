import type { ResolvedConfig } from '../config/resolve-config.js';
import { ConfigError } from '../config/config-error.js';
import type { GatewayRoute } from '../gateway/handle-chat.js';
import { artifactPathsOf, createPolicy, policyConfigSchema } from '../routing/policy-config.js';
import { loadArtifact, type RouterArtifact } from '../routing/router-artifact.js';
import type { SharedStats } from '../spec/state.js';
import { createMemorySharedStats } from '../state/memory-shared-stats.js';
import type { AnswerScorer } from '../routing/scorers/answer-scorer.js';
import { tenantLambda } from '../learning/budget-pacing.js';

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
      for (const i of parsed.error.issues) issues.push(`routes[${index}].policy${i.path.length ? '.' + i.path.join('.') : ''}: ${i.message}`);
    } else {
      try {
        for (const path of artifactPathsOf(parsed.data)) if (!artifacts.has(path)) artifacts.set(path, await loadArtifact(path));
        routes.set(route.name, { name: route.name, targets: route.targets, fallbacks: route.fallbacks, policy: createPolicy(parsed.data, { artifacts, scorers, bandit: { route: route.name, stats, lambdaFor } }) });
      } catch (err) {
        issues.push(`routes[${index}].policy: ${(err as Error).message}`);
      }
    }
    index += 1;
  }
  if (issues.length > 0) throw new ConfigError('routes', issues);
  const direct = createPolicy(policyConfigSchema.parse({ type: 'fixed' }), {});
  for (const [id, target] of resolved.modelTargets) routes.set(id, { name: id, targets: [target], fallbacks: [], policy: direct });
  return routes;
};
