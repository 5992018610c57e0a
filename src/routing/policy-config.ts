import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { RoutingPolicy } from '../spec/routing.js';
import { createFixedPolicy } from './policies/fixed-policy.js';
import { createRulesPolicy } from './policies/rules-policy.js';
import { createEnvelopePolicy } from './policies/envelope-policy.js';
import { createClassifierPolicy } from './policies/classifier-policy.js';
import { createCascadePolicy } from './policies/cascade-policy.js';
import { createPerTenantPolicy } from './policies/per-tenant-policy.js';
import { createBanditPolicy, type BanditDeps } from './policies/bandit-policy.js';
import { banditSchema } from './policies/bandit-policy-config.js';
import type { RouterArtifact } from './router-artifact.js';
import type { AnswerScorer } from './scorers/answer-scorer.js';
import { createRulesScorer, RULE_CHECKS } from './scorers/rules-scorer.js';

const TASK_TYPES = ['classification', 'extraction', 'translation', 'sentiment', 'qa', 'math', 'code', 'reasoning', 'writing', 'summarization', 'chat'] as const;

const ruleConditionSchema = z.strictObject({
  taskType: z.array(z.enum(TASK_TYPES)).min(1).optional(),
  tier: z.array(z.string()).min(1).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  reasoning: z.boolean().optional(),
  code: z.boolean().optional(),
  math: z.boolean().optional(),
  minInputTokens: z.number().int().nonnegative().optional(),
  maxInputTokens: z.number().int().nonnegative().optional(),
  language: z.array(z.string()).min(1).optional(),
});

const fixedSchema = z.strictObject({ type: z.literal('fixed') });
const rulesSchema = z.strictObject({
  type: z.literal('rules'),
  /** A model the client names (x-switchyard-model) is served when it is among the candidates. */
  honourRequestedModel: z.boolean().default(true),
  rules: z.array(z.strictObject({ name: z.string().optional(), when: ruleConditionSchema, targets: z.array(z.string()).min(1) })).default([]),
});

/** How a panel compares its members' answers (src/routing/scorers/answer-key.ts). */
const panelAnswerOptions = {
  /** Answers longer than this (characters) are free text: never comparable. */
  maxAnswerChars: z.number().int().min(1).max(100_000).default(200),
  /** When the answers cannot be compared (free text, cut off, a member failed): `escalate`, or `accept` the first answer. */
  incomparable: z.enum(['escalate', 'accept']).default('escalate'),
};

const envelopeSchema = z.strictObject({
  type: z.literal('envelope'),
  /** Path of the artefact written by `switchyard train` (loaded at start-up). */
  artifact: z.string().min(1),
  /** `floor`: cheapest with P(quality) ≥ qualityFloor; `utility`: max P(quality) − lambda·USD. */
  mode: z.enum(['floor', 'utility']).default('floor'),
  qualityFloor: z.number().min(0).max(1).default(0.7),
  lambda: z.number().nonnegative().default(100),
  latencySloMs: z.number().positive().optional(),
  /** P(quality) assumed for a target whose model the artefact has never seen. */
  unknownModelQuality: z.number().min(0).max(1).default(0.5),
  /**
   * A panel in front of expensive choices: when the chosen target's predicted cost is above its
   * `members`' together, the members answer first (non-streaming requests) and their answer stands
   * when they agree; otherwise the chosen target answers.
   */
  panel: z.strictObject({ members: z.array(z.string().min(1)).min(2).max(5), ...panelAnswerOptions }).optional(),
});

const classifierSchema = z.strictObject({
  type: z.literal('classifier'),
  /** Path of the artefact written by `switchyard train` (holds the trained classifier and its pair). */
  artifact: z.string().min(1),
  /** P(small is good enough) at or above this sends the request to the small target. */
  threshold: z.number().min(0).max(1).default(0.5),
  /** Target (or model) ids of the pair; default: the pair the classifier was trained on. */
  small: z.string().min(1).optional(),
  large: z.string().min(1).optional(),
});

const cascadeSchema = z.strictObject({
  type: z.literal('cascade'),
  /** `cheapest-first`: by catalog price × expected tokens; `configured`: the route's order. */
  order: z.enum(['cheapest-first', 'configured']).default('cheapest-first'),
  /** Which scorer judges an answer: `rules`, or a scorer registered by name (a learned estimator). */
  scorer: z.string().min(1).default('rules'),
  /** The rules scorer's checks. */
  checks: z.array(z.enum(RULE_CHECKS)).min(1).default([...RULE_CHECKS]),
  /** An answer scoring below this escalates to the next candidate. */
  acceptAt: z.number().min(0).max(1).default(0.5),
  /**
   * Agreement panel: the first `size` candidates answer together (concurrently) and their answers are
   * accepted when they agree (src/routing/scorers/answer-key.ts); otherwise the request escalates to the
   * next candidate. For short answers: labels, options, extractions, JSON, tool calls.
   */
  panel: z.strictObject({ size: z.number().int().min(2).max(5).default(2), ...panelAnswerOptions }).optional(),
});

const basePolicySchema = z.discriminatedUnion('type', [fixedSchema, rulesSchema, envelopeSchema, classifierSchema, cascadeSchema]);

/** One route, a policy per tenant (or tier): the tenant's, else its tier's, else `default`. */
const perTenantSchema = z.strictObject({
  type: z.literal('per-tenant'),
  default: basePolicySchema,
  tenants: z.record(z.string(), basePolicySchema).default({}),
  tiers: z.record(z.string(), basePolicySchema).default({}),
});

/** The `policy` block of a route in the YAML config. */
export const policyConfigSchema = z.discriminatedUnion('type', [fixedSchema, rulesSchema, envelopeSchema, classifierSchema, cascadeSchema, perTenantSchema, banditSchema]);

export type PolicyConfig = z.infer<typeof policyConfigSchema>;
type BasePolicyConfig = z.infer<typeof basePolicySchema>;
export type RulesPolicyConfig = z.infer<typeof rulesSchema>;
export type RuleCondition = z.infer<typeof ruleConditionSchema>;
export type EnvelopePolicyConfig = z.infer<typeof envelopeSchema>;
export type ClassifierPolicyConfig = z.infer<typeof classifierSchema>;
export type CascadePolicyConfig = z.infer<typeof cascadeSchema>;

/** Learned artefacts a policy needs, loaded by the composition root. */
export interface PolicyDeps {
  /** The artefact of a policy that names one (single-policy routes). */
  artifact?: RouterArtifact;
  /** Artefacts by the path the config names (routes whose policies read several). */
  artifacts?: ReadonlyMap<string, RouterArtifact>;
  /** Answer scorers for cascades beyond the built-in `rules` one, by name. */
  scorers?: ReadonlyMap<string, AnswerScorer>;
  /** What an online learning policy (bandit) needs: its route, the shared statistics, λ per tenant. */
  bandit?: BanditDeps;
}

/** Artefact paths a policy config reads (the composition root loads them before building it). */
export const artifactPathsOf = (config: PolicyConfig): string[] => {
  if (config.type !== 'per-tenant') return 'artifact' in config ? [config.artifact] : [];
  return [config.default, ...Object.values(config.tenants), ...Object.values(config.tiers)].flatMap(artifactPathsOf);
};

const needArtifact = (config: PolicyConfig & { artifact: string }, deps: PolicyDeps): RouterArtifact => {
  const artifact = deps.artifacts?.get(config.artifact) ?? deps.artifact;
  if (!artifact) throw new Error(`the ${config.type} policy needs its artefact (${config.artifact}) loaded`);
  return artifact;
};

const scorerFor = (config: CascadePolicyConfig, deps: PolicyDeps): AnswerScorer => {
  if (config.scorer === 'rules') return createRulesScorer(config.checks);
  const scorer = deps.scorers?.get(config.scorer);
  if (!scorer) throw new Error(`unknown cascade scorer '${config.scorer}' (known: rules${[...(deps.scorers?.keys() ?? [])].map((k) => ', ' + k).join('')})`);
  return scorer;
};

/** The version stamped on decisions: a hash of the policy's own config, so a change is visible. */
const versionOf = (config: PolicyConfig): string => createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 8);

export const createPolicy = (config: PolicyConfig, deps: PolicyDeps = {}): RoutingPolicy => {
  if (config.type === 'bandit') {
    if (!deps.bandit) throw new Error('the bandit policy needs the shared statistics (PolicyDeps.bandit)');
    return createBanditPolicy(config, deps.bandit, versionOf(config));
  }
  if (config.type !== 'per-tenant') return createBasePolicy(config, deps);
  const build = (map: Record<string, BasePolicyConfig>) => new Map(Object.entries(map).map(([k, c]) => [k, createBasePolicy(c, deps)]));
  const byTenant = build(config.tenants);
  const byTier = build(config.tiers);
  const fallback = createBasePolicy(config.default, deps);
  // The version covers the delegates' own (which include their artefacts' versions).
  const all = [fallback, ...byTenant.values(), ...byTier.values()].map((p) => p.version).join(',');
  return createPerTenantPolicy({ byTenant, byTier, fallback }, createHash('sha256').update(versionOf(config) + all).digest('hex').slice(0, 8));
};

const createBasePolicy = (config: BasePolicyConfig, deps: PolicyDeps): RoutingPolicy => {
  const version = versionOf(config);
  switch (config.type) {
    case 'fixed':
      return createFixedPolicy(version);
    case 'rules':
      return createRulesPolicy(config, version);
    case 'envelope':
      return createEnvelopePolicy(config, needArtifact(config, deps), version);
    case 'classifier':
      return createClassifierPolicy(config, needArtifact(config, deps), version);
    case 'cascade':
      return createCascadePolicy(config, scorerFor(config, deps), version);
  }
};
