import type { Target } from '../../spec/catalog.js';
import type { Features, PlanInput, RequestContext, RoutingPolicy } from '../../spec/routing.js';
import type { RuleCondition, RulesPolicyConfig } from '../policy-config.js';

const matches = (when: RuleCondition, f: Features, ctx: RequestContext): boolean => {
  if (when.taskType && !when.taskType.includes(f.taskType)) return false;
  if (when.tier && !when.tier.includes(ctx.tier)) return false;
  if (when.tags && Object.entries(when.tags).some(([k, v]) => ctx.tags[k] !== v)) return false;
  if (when.reasoning !== undefined && when.reasoning !== f.hasReasoningKeywords) return false;
  if (when.code !== undefined && when.code !== f.hasCode) return false;
  if (when.math !== undefined && when.math !== f.hasMath) return false;
  if (when.minInputTokens !== undefined && f.inputTokens < when.minInputTokens) return false;
  if (when.maxInputTokens !== undefined && f.inputTokens > when.maxInputTokens) return false;
  if (when.language && !when.language.includes(f.language)) return false;
  return true;
};

/** Puts the preferred targets first (in the rule's order), keeping the others as fallbacks. */
const preferring = (candidates: readonly Target[], preferred: readonly string[]): Target[] => {
  const first = preferred.map((id) => candidates.find((c) => c.id === id || c.model.id === id)).filter((t): t is Target => t !== undefined);
  return [...first, ...candidates.filter((c) => !first.includes(c))];
};

/**
 * Ordered conditions on features, tier and tags: the first rule that matches picks the target
 * order. An explicit model the client asked for wins when the config allows it.
 */
export const createRulesPolicy = (config: RulesPolicyConfig, version: string): RoutingPolicy => ({
  name: 'rules',
  version,
  plan: ({ candidates, features, context }: PlanInput) => {
    const considered = candidates.map((c) => ({ targetId: c.id }));
    const decision = (reason: string) => ({ policy: 'rules', policyVersion: version, reason, propensity: 1, considered });
    if (config.honourRequestedModel && context.requestedModel) {
      const ordered = preferring(candidates, [context.requestedModel]);
      if (ordered[0]?.model.id === context.requestedModel || ordered[0]?.id === context.requestedModel) {
        return { targets: ordered, decision: decision('requested-model') };
      }
    }
    for (const [i, rule] of config.rules.entries()) {
      if (matches(rule.when, features, context)) {
        return { targets: preferring(candidates, rule.targets), decision: decision(`rule:${rule.name ?? i}`) };
      }
    }
    return { targets: [...candidates], decision: decision('default-order') };
  },
});
