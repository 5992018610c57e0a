import { createMemorySharedStats } from '../../state/memory-shared-stats.js';
import { createPolicy, policyConfigSchema } from '../policy-config.js';
import { runPolicyConformance } from '../policy-conformance.js';

/** Every built-in policy runs the one conformance suite (a new policy adds one line here). */
runPolicyConformance('fixed', () => createPolicy({ type: 'fixed' }));
runPolicyConformance('rules', () => createPolicy(policyConfigSchema.parse({
  type: 'rules',
  rules: [{ name: 'premium', when: { tier: ['premium'] }, targets: ['large'] }, { name: 'hard', when: { reasoning: true }, targets: ['large', 'medium'] }],
})));
for (const mode of ['floor', 'utility'] as const) {
  runPolicyConformance(`envelope (${mode})`, ({ artifact }) => createPolicy(policyConfigSchema.parse({ type: 'envelope', artifact: 'fixture', mode }), { artifact }), { predicts: true });
}
runPolicyConformance('classifier', ({ artifact }) => createPolicy(policyConfigSchema.parse({ type: 'classifier', artifact: 'fixture' }), { artifact }));
runPolicyConformance('cascade', () => createPolicy(policyConfigSchema.parse({ type: 'cascade' })), { predicts: true });
runPolicyConformance('per-tenant', ({ artifact }) => createPolicy(policyConfigSchema.parse({
  type: 'per-tenant', default: { type: 'envelope', artifact: 'fixture' }, tiers: { premium: { type: 'fixed' } }, tenants: { t: { type: 'cascade' } },
}), { artifact }));
runPolicyConformance('bandit', () => createPolicy(policyConfigSchema.parse({ type: 'bandit' }), {
  bandit: { route: 'conformance', stats: createMemorySharedStats(), lambdaFor: () => 100 },
}), { predicts: true });
