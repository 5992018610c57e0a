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

test('ledger.writerNice is a nice value from 0 to 19, 19 by default', () => {
  assert.equal(buildConfig(minimal(), 't', { OPENAI_API_KEY: 'x' }).config.ledger.writerNice, 19);
  for (const bad of [20, -1, 2.5]) {
    const issues = issuesOf(() => buildConfig({ ...minimal(), ledger: { writerNice: bad } }, 't', { OPENAI_API_KEY: 'x' }));
    assert.ok(issues.some((m) => m.startsWith('ledger.writerNice')), `${bad}: ${issues.join('; ')}`);
  }
});

test('duplicates, unknown tenants, an empty model list and what start-up needs are config errors, named by field', () => {
  const env = { OPENAI_API_KEY: 'sk-test' };
  const dup = minimal();
  dup.models.push({ id: 'gpt-4o-mini', provider: 'openai', prices: { input: 10, output: 30, cachedInput: 5 } });
  assert.ok(issuesOf(() => buildConfig(dup, 't', env)).includes("models[1].id: duplicate model 'gpt-4o-mini'"));

  const tenants = {
    ...minimal(),
    tenants: [
      { id: 'acme', keys: [{ id: 'k1', key: 'sk-acme-0123456789' }] },
      { id: 'acme', keys: [{ id: 'k1', key: 'sk-acme-9876543210' }, { id: 'k1', key: 'sk-acme-5555555555' }] },
    ],
    learning: { lambdaByTenant: { ghost: 5 } },
  };
  const issues = issuesOf(() => buildConfig(tenants, 't', env));
  assert.ok(issues.includes("tenants[1].id: duplicate tenant 'acme'"), issues.join('\n'));
  assert.ok(issues.includes("tenants[1].keys[1].id: duplicate key id 'k1'"), issues.join('\n'));
  assert.ok(!issues.some((x) => x.startsWith('tenants[1].keys[0]')), 'a key id may repeat across tenants');
  assert.ok(issues.includes("learning.lambdaByTenant.ghost: unknown tenant 'ghost'"), issues.join('\n'));

  assert.match(issuesOf(() => buildConfig({}, 't', env)).join('\n'), /^models: none configured/m);
  const noUrl = { ...minimal(), providers: { openai: { kind: 'openai' } } };
  assert.ok(issuesOf(() => buildConfig(noUrl, 't', env)).includes('providers.openai.baseUrl: required for kind openai and anthropic'));
  const pg = { ...minimal(), ledger: { driver: 'postgres' } };
  assert.ok(issuesOf(() => buildConfig(pg, 't', env)).includes('ledger.url: required when ledger.driver is postgres'));
  const backoff = { ...minimal(), execution: { backoffBaseMs: 5000, backoffMaxMs: 100 } };
  assert.ok(issuesOf(() => buildConfig(backoff, 't', env)).includes('execution.backoffBaseMs: must not exceed execution.backoffMaxMs'));
  const sim = { providers: { sim: { kind: 'simulator', dataset: '/nonexistent/data.jsonl' } }, models: [{ id: 'm', provider: 'sim', prices: { input: 1, output: 1 } }] };
  assert.ok(issuesOf(() => buildConfig(sim, 't', env)).includes('providers.sim.dataset: file not found: /nonexistent/data.jsonl'));
});

test('a field that is one ${VAR} takes the YAML type of its value; a string field keeps the text', () => {
  const tree = {
    ...minimal(),
    server: { port: '${PORT:-8099}', shutdownGraceMs: '${GRACE}' },
    tenants: [{ id: 'acme', keys: [{ id: 'k', key: '${DIGITS_KEY}' }], tags: { team: '${TEAM}' } }],
    learning: { budgetPacing: { enabled: '${PACING}' } },
  };
  const c = buildConfig(tree, 't', { OPENAI_API_KEY: 'sk-test', GRACE: '2500', DIGITS_KEY: '12345678901234567890', TEAM: '42', PACING: 'false' });
  assert.equal(c.config.server.port, 8099);
  assert.equal(c.config.server.shutdownGraceMs, 2500);
  assert.equal(c.config.learning.budgetPacing.enabled, false);
  assert.equal(c.config.tenants[0]?.tags['team'], '42');
  assert.equal(c.keys.size, 1, 'the all-digit key is kept as its text and hashed');
  // Text around a reference stays a string, and a bad value still names the field.
  assert.ok(issuesOf(() => buildConfig({ ...minimal(), server: { port: 'p${PORT}' } }, 't', { OPENAI_API_KEY: 'k', PORT: '1' })).some((i) => i.startsWith('server.port:')));
});

test('model ids and route names must be printable ASCII: they are sent in response headers', () => {
  const tree = minimal();
  tree.models[0] = { ...tree.models[0]!, id: 'smäll-模' };
  tree.routes[0] = { name: 'auto\nx', targets: ['smäll-模'] };
  const issues = issuesOf(() => buildConfig(tree, 'test.yaml', { OPENAI_API_KEY: 'sk-test-0123456789abcdef' }));
  assert.ok(issues.some((i) => i.startsWith('models[0].id') && i.includes('x-switchyard-')), issues.join('\n'));
  assert.ok(issues.some((i) => i.startsWith('routes[0].name')), issues.join('\n'));
  // Names with slashes, dots, '@' and inner spaces are fine.
  const ok = minimal();
  ok.models[0] = { ...ok.models[0]!, id: 'meta-llama/Llama-3.1-8B @prod v2' };
  ok.routes[0] = { name: 'my route', targets: ['meta-llama/Llama-3.1-8B @prod v2'] };
  assert.ok(buildConfig(ok, 'test.yaml', { OPENAI_API_KEY: 'sk-test-0123456789abcdef' }).routes.has('my route'));
});
