import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../config/config-error.js';
import { buildConfig } from '../config/load-config.js';
import { buildRoutes } from './build-routes.js';

const config = (policy: unknown, tenants: unknown[] = []) => buildConfig({
  providers: { sim: { kind: 'simulator' } },
  models: [{ id: 'small', provider: 'sim', prices: { input: 1, output: 2 } }, { id: 'large', provider: 'sim', prices: { input: 10, output: 30 } }],
  routes: [{ name: 'auto', targets: ['small', 'large'], policy }],
  tenants,
}, 'test.yaml', {});

const issuesOf = async (policy: unknown, tenants: unknown[] = []): Promise<readonly string[]> => {
  try {
    await buildRoutes(config(policy, tenants));
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    assert.match(err.message, /^invalid config \(test\.yaml\)/, 'the error names the file');
    return err.issues;
  }
  return [];
};

test('a rule naming a target the route does not have is a config error, not a rule that silently does nothing', async () => {
  const rules = (targets: string[]) => ({ type: 'rules', rules: [{ name: 'r', when: { code: true }, targets }] });
  assert.deepEqual(await issuesOf(rules(['large'])), []);
  assert.deepEqual(await issuesOf(rules(['large', 'ghost'])), ["routes[0].policy.rules[0].targets[1]: 'ghost' is not a target of route 'auto'"]);
});

test('a per-tenant policy naming unknown tenants or tiers is a config error; nested policies are checked too', async () => {
  const tenants = [{ id: 'acme', tier: 'premium', keys: [{ id: 'k', key: 'sk-acme-0123456789' }] }];
  const policy = {
    type: 'per-tenant', default: { type: 'fixed' },
    tenants: { acme: { type: 'fixed' }, ghost: { type: 'fixed' } },
    tiers: { premium: { type: 'rules', rules: [{ when: { code: true }, targets: ['nope'] }] }, platinum: { type: 'fixed' } },
  };
  assert.deepEqual([...(await issuesOf(policy, tenants))].sort(), [
    "routes[0].policy.tenants.ghost: unknown tenant 'ghost'",
    "routes[0].policy.tiers.platinum: no tenant has tier 'platinum'",
    "routes[0].policy.tiers.premium.rules[0].targets[0]: 'nope' is not a target of route 'auto'",
  ]);
  // Without tenants, the anonymous caller is tenant `default` of tier `standard`.
  assert.deepEqual(await issuesOf({ type: 'per-tenant', default: { type: 'fixed' }, tenants: { default: { type: 'fixed' } }, tiers: { standard: { type: 'fixed' } } }), []);
});

test('policy field paths use the same [i] form as the rest of the config', async () => {
  const issues = await issuesOf({ type: 'rules', rules: [{ when: { nonsense: true }, targets: ['small'] }] });
  assert.equal(issues.length, 1);
  assert.match(issues[0] ?? '', /^routes\[0\]\.policy\.rules\[0\]\.when/);
});

test('a cascade panel with nowhere to escalate is a config error', async () => {
  assert.deepEqual(await issuesOf({ type: 'cascade', panel: { size: 2 } }), ["routes[0].policy.panel.size: a panel of 2 needs at least 3 targets (members, then where to escalate); route 'auto' has 2"]);
});

test('an envelope panel naming a member the route does not have is a config error', async () => {
  const envelope = (members: string[]) => ({ type: 'envelope', artifact: '/nonexistent/router.json', panel: { members } });
  const panelIssues = async (members: string[]) => (await issuesOf(envelope(members))).filter((i) => i.includes('.panel'));
  assert.deepEqual(await panelIssues(['small', 'large']), []);
  assert.deepEqual(await panelIssues(['small', 'ghost']), ["routes[0].policy.panel.members[1]: 'ghost' is not a target of route 'auto'"]);
});
