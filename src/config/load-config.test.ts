import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConfig, loadConfig } from './load-config.js';
import { ConfigError } from './config-error.js';
import { defaultConfigTree } from './default-config.js';
import { hashKey } from './resolve-config.js';

const minimal = () => ({
  providers: { openai: { kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: '${OPENAI_API_KEY}' } },
  models: [{ id: 'gpt-4o-mini', provider: 'openai', prices: { input: 0.15, output: 0.6, cachedInput: 0.075 } }],
  routes: [{ name: 'auto', targets: ['gpt-4o-mini', { model: 'gpt-4o-mini', label: 'short', params: { maxTokens: 64 } }] }],
});

const issuesOf = (fn: () => unknown): readonly string[] => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues;
  }
  assert.fail('expected a ConfigError');
};

test('the embedded default is valid and needs no environment', () => {
  const c = buildConfig(defaultConfigTree(), 'default', {});
  assert.equal(c.authEnabled, false);
  assert.ok(c.routes.has('auto'));
  assert.equal(c.catalog.get('gpt-4-1106-preview')?.prices.outputPerMtok, 30);
});

test('${ENV} references are substituted; a missing one names the field', () => {
  const c = buildConfig(minimal(), 't', { OPENAI_API_KEY: 'sk-test' });
  assert.equal(c.config.providers['openai']?.apiKey, 'sk-test');
  const issues = issuesOf(() => buildConfig(minimal(), 't', {}));
  assert.deepEqual(issues, ['providers.openai.apiKey: environment variable OPENAI_API_KEY is not set']);
});

test('unknown keys and bad values are errors naming their path', () => {
  const tree = minimal() as Record<string, unknown>;
  (tree['models'] as Array<Record<string, unknown>>)[0]!['prices'] = { input: -1, output: 0.6 };
  tree['sever'] = {};
  const issues = issuesOf(() => buildConfig(tree, 't', { OPENAI_API_KEY: 'x' }));
  assert.ok(issues.some((i) => i.startsWith('models[0].prices.input:')), issues.join('\n'));
  assert.ok(issues.some((i) => i.includes('sever')), issues.join('\n'));
});

test('references between sections are checked', () => {
  const tree = minimal();
  tree.routes[0]!.targets.push('gpt-5' as never);
  (tree.models[0] as { provider: string }).provider = 'nope';
  const issues = issuesOf(() => buildConfig(tree, 't', { OPENAI_API_KEY: 'x' }));
  assert.ok(issues.includes("models[0].provider: unknown provider 'nope'"), issues.join('\n'));
  assert.ok(issues.includes("routes[0].targets[2]: unknown model 'gpt-5'"), issues.join('\n'));
});

test('a route may not take the quality estimator\'s versions key as its name', () => {
  const tree = minimal();
  tree.routes[0]!.name = 'learning.estimator';
  const issues = issuesOf(() => buildConfig(tree, 't', { OPENAI_API_KEY: 'x' }));
  assert.ok(issues.includes("routes[0].name: 'learning.estimator' is reserved (the quality estimator's policy versions)"), issues.join('\n'));
});

test('a target with pinned settings gets its own id; prices default sensibly', () => {
  const c = buildConfig(minimal(), 't', { OPENAI_API_KEY: 'x' });
  const route = c.routes.get('auto');
  assert.deepEqual(route?.targets.map((t) => t.id), ['gpt-4o-mini', 'gpt-4o-mini@short']);
  assert.equal(route?.targets[1]?.params.maxTokens, 64);
  const prices = c.catalog.get('gpt-4o-mini')?.prices;
  assert.equal(prices?.cachedInputPerMtok, 0.075);
  assert.equal(prices?.cacheWritePerMtok, 0.15);
});

test('keys are kept hashed; the config hash ignores secrets', () => {
  const tree = { ...minimal(), tenants: [{ id: 'acme', tier: 'premium', keys: [{ id: 'k1', key: 'sk-acme-0123456789abcdef' }] }] };
  const a = buildConfig(tree, 't', { OPENAI_API_KEY: 'one' });
  const b = buildConfig(tree, 't', { OPENAI_API_KEY: 'two' });
  assert.equal(a.hash, b.hash);
  assert.equal(a.authEnabled, true);
  assert.deepEqual(a.keys.get(hashKey('sk-acme-0123456789abcdef'))?.tenant, 'acme');
  assert.ok(!JSON.stringify([...a.keys.entries()]).includes('sk-acme'));
});

test('loadConfig reports YAML syntax errors and unreadable files clearly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-config-'));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'providers: [unclosed');
  await assert.rejects(loadConfig(bad), (e: ConfigError) => e.issues[0]!.startsWith('YAML syntax'));
  await assert.rejects(loadConfig(join(dir, 'missing.yaml')), (e: ConfigError) => e.issues[0]!.startsWith('cannot read file'));
});

test('the example config file is valid', async () => {
  const c = await loadConfig(new URL('../../../examples/switchyard.yaml', import.meta.url).pathname, {
    OPENAI_API_KEY: 'sk-x', ANTHROPIC_API_KEY: 'sk-ant-x', ACME_KEY: 'sk-acme-0123456789abcdef', SWITCHYARD_ADMIN_KEY: 'admin-0123456789abcdef',
  });
  assert.ok(c.routes.size >= 1);
});
