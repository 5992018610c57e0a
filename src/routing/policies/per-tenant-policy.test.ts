import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicy, policyConfigSchema } from '../policy-config.js';
import { fixtureArtifact, fixtureInput, fixtureTargets } from '../policy-fixtures.js';

const targets = fixtureTargets();
const policy = createPolicy(policyConfigSchema.parse({
  type: 'per-tenant',
  default: { type: 'fixed' },
  tiers: { premium: { type: 'rules', rules: [{ name: 'big', when: {}, targets: ['large'] }] } },
  tenants: { acme: { type: 'cascade' }, lab: { type: 'classifier', artifact: 'a.json' } },
}), { artifact: fixtureArtifact() });

test("the tenant's policy, else its tier's, else the default decides", () => {
  const acme = policy.plan(fixtureInput('hi', [...targets].reverse(), { tenant: 'acme', tier: 'premium' }));
  assert.equal(acme.targets[0]?.id, 'small');
  assert.match(acme.decision.reason, /^tenant:acme>cascade@\w+:cascade:cheapest-first/);
  assert.ok(acme.cascade, 'the delegate cascade hook is kept');
  const premium = policy.plan(fixtureInput('hi', targets, { tenant: 'other', tier: 'premium' }));
  assert.equal(premium.targets[0]?.id, 'large@short');
  assert.match(premium.decision.reason, /^tier:premium>rules@\w+:rule:big$/);
  const plain = policy.plan(fixtureInput('hi', targets, { tenant: 'other' }));
  assert.deepEqual(plain.targets, targets);
  assert.match(plain.decision.reason, /^default>fixed/);
  assert.equal(plain.decision.policy, 'per-tenant');
});

test('delegates are validated like route policies; per-tenant does not nest', () => {
  const bad = policyConfigSchema.safeParse({ type: 'per-tenant', default: { type: 'fixed' }, tenants: { acme: { type: 'rules', rules: [{ when: {}, targets: [] }] } } });
  assert.equal(bad.success, false);
  assert.ok(bad.error?.issues.some((i) => i.path.join('.') === 'tenants.acme.rules.0.targets'), JSON.stringify(bad.error?.issues.map((i) => i.path)));
  assert.equal(policyConfigSchema.safeParse({ type: 'per-tenant', default: { type: 'per-tenant', default: { type: 'fixed' } } }).success, false);
});
