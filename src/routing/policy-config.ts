import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { RoutingPolicy } from '../spec/routing.js';
import { createFixedPolicy } from './policies/fixed-policy.js';
import { createRulesPolicy } from './policies/rules-policy.js';
import { createEnvelopePolicy } from './policies/envelope-policy.js';
import type { RouterArtifact } from './router-artifact.js';

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
});

/** The `policy` block of a route in the YAML config. */
export const policyConfigSchema = z.discriminatedUnion('type', [fixedSchema, rulesSchema, envelopeSchema]);

export type PolicyConfig = z.infer<typeof policyConfigSchema>;
export type RulesPolicyConfig = z.infer<typeof rulesSchema>;
export type RuleCondition = z.infer<typeof ruleConditionSchema>;
export type EnvelopePolicyConfig = z.infer<typeof envelopeSchema>;

/** Learned artefacts a policy needs, loaded by the composition root. */
export interface PolicyDeps {
  artifact?: RouterArtifact;
}

/** The version stamped on decisions: a hash of the policy's own config, so a change is visible. */
const versionOf = (config: PolicyConfig): string => createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 8);

export const createPolicy = (config: PolicyConfig, deps: PolicyDeps = {}): RoutingPolicy => {
  const version = versionOf(config);
  switch (config.type) {
    case 'fixed':
      return createFixedPolicy(version);
    case 'rules':
      return createRulesPolicy(config, version);
    case 'envelope':
      if (!deps.artifact) throw new Error(`the envelope policy needs its artefact (${config.artifact}) loaded`);
      return createEnvelopePolicy(config, deps.artifact, version);
  }
};
