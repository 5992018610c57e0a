import type { Target } from '../../spec/catalog.js';
import type { CandidatePrediction, RoutingPolicy } from '../../spec/routing.js';
import type { ClassifierPolicyConfig } from '../policy-config.js';
import type { RouterArtifact } from '../router-artifact.js';
import { toTextVector } from '../text-vector.js';

const find = (candidates: readonly Target[], id: string): Target | undefined => candidates.find((c) => c.id === id) ?? candidates.find((c) => c.model.id === id);

/**
 * The two-model classifier (RouteLLM's setting): P(the small model's answer is as good as the
 * large one's) from the request's text features; at or above `threshold` the small model serves,
 * else the large one. The other serves as first fallback; other candidates follow in route order.
 */
export const createClassifierPolicy = (config: ClassifierPolicyConfig, artifact: RouterArtifact, version: string): RoutingPolicy => {
  const classifier = artifact.classifier;
  if (!classifier) throw new Error(`the artefact ${config.artifact} has no classifier (retrain it with switchyard train)`);
  const smallId = config.small ?? classifier.small;
  const largeId = config.large ?? classifier.large;
  const policyVersion = `${version}+${artifact.version}`;
  return {
    name: 'classifier',
    version: policyVersion,
    plan: (input) => {
      const small = find(input.candidates, smallId);
      const large = find(input.candidates, largeId);
      const p = classifier.model.predict(toTextVector(input.features));
      const useSmall = small !== undefined && (p >= config.threshold || large === undefined);
      const pair = useSmall ? [small, large] : [large, small];
      const first = pair.filter((t): t is Target => t !== undefined);
      const targets = [...first, ...input.candidates.filter((c) => !first.includes(c))];
      const reason = small === undefined || large === undefined ? `pair-incomplete:${useSmall ? 'small' : targets[0] === large ? 'large' : 'route-order'}` : useSmall ? 'small-good-enough' : 'large-needed';
      const considered: CandidatePrediction[] = targets.map((t) => (t === small ? { targetId: t.id, pQuality: Number(p.toFixed(4)) } : { targetId: t.id }));
      return { targets, decision: { policy: 'classifier', policyVersion, reason, propensity: 1, considered } };
    },
  };
};
