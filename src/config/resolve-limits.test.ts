import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildConfig } from './load-config.js';
import { ConfigError } from './config-error.js';

const base = () => ({
  providers: { sim: { kind: 'simulator' } },
  models: [{ id: 'm', provider: 'sim', prices: { input: 1, output: 2 }, limits: { rpm: 100 } }],
  routes: [{ name: 'auto', targets: ['m'] }],
  tenants: [
    { id: 'acme', limits: { rpm: 600, tpm: 100_000 }, budget: { usd: 50, period: 'day' }, keys: [{ id: 'prod', key: 'sk-0123456789abcdef', limits: { rpm: 60 }, budget: { usd: 5 } }] },
    { id: 'globex', keys: [{ id: 'prod', key: 'sk-globex-0123456789' }, { id: 'batch', key: 'sk-batch-0123456789' }] },
  ],
});

const issuesOf = (tree: unknown): readonly string[] => {
  try {
    buildConfig(tree, 'test', {});
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues;
  }
  assert.fail('expected a ConfigError');
};

test('limits and budgets declared on tenants, keys, models and top level are indexed', () => {
  const c = buildConfig({ ...base(), limits: { perKey: { rpm: 30 } }, budgets: [{ tag: 'product=search', usd: 100 }, { key: 'batch', usd: 1, period: 'day' }] }, 'test', {});
  const l = c.limits;
  assert.equal(l.any, true);
  assert.deepEqual(l.keys.get('acme/prod'), { rpm: 60 });
  assert.deepEqual(l.defaultKey, { rpm: 30 });
  assert.deepEqual(l.tenants.get('acme'), { rpm: 600, tpm: 100_000 });
  assert.deepEqual(l.models.get('m'), { rpm: 100 });
  assert.deepEqual(l.budgets.tenants.get('acme'), [{ scope: 'tenant', id: 'acme', limitMicroUsd: 50_000_000, period: 'day' }]);
  assert.deepEqual(l.budgets.keys.get('acme/prod'), [{ scope: 'key', id: 'acme/prod', limitMicroUsd: 5_000_000, period: 'month' }]);
  assert.deepEqual(l.budgets.keys.get('globex/batch'), [{ scope: 'key', id: 'globex/batch', limitMicroUsd: 1_000_000, period: 'day' }]);
  assert.equal(l.budgets.tags.get('product=search')?.[0]?.limitMicroUsd, 100_000_000);
});

test('no limits anywhere: the request path skips admission', () => {
  const tree = base();
  tree.models[0] = { id: 'm', provider: 'sim', prices: { input: 1, output: 2 } } as (typeof tree.models)[0];
  tree.tenants = [];
  assert.equal(buildConfig(tree, 'test', {}).limits.any, false);
});

test('bad state, limit and budget declarations are errors naming the field', () => {
  const issues = issuesOf({
    ...base(),
    state: { driver: 'redis', failMode: 'maybe' },
    limits: { perTenant: {} },
    budgets: [{ tenant: 'acme', tag: 'a=b', usd: 1 }, { tenant: 'nobody', usd: 1 }, { key: 'prod', usd: 1 }, { tag: 'nonsense', usd: 1 }, { tenant: 'acme', usd: -1 }],
  });
  const text = issues.join('\n');
  assert.match(text, /state\.failMode/);
  assert.match(text, /limits\.perTenant: give rpm, tpm or both/);
  assert.match(text, /budgets\[0\]: give exactly one of tenant, key or tag/);
  assert.match(text, /budgets\[3\]\.tag: expected name=value/);
  assert.match(text, /budgets\[4\]\.usd/);
  const refs = issuesOf({ ...base(), budgets: [{ tenant: 'nobody', usd: 1 }, { key: 'prod', usd: 1 }] }).join('\n');
  assert.match(refs, /budgets\[0\]\.tenant: unknown tenant 'nobody'/);
  assert.match(refs, /budgets\[1\]\.key: ambiguous/);
  assert.match(issuesOf({ ...base(), state: { driver: 'redis' } }).join('\n'), /state\.url: state\.url is required when state\.driver is redis/);
});
