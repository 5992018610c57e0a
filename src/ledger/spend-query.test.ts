import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../errors/index.js';
import { parseSpendQuery, parseTimeParam } from './spend-query.js';

const rejectsWith = (query: unknown, param: string, pattern: RegExp): void => {
  assert.throws(() => parseSpendQuery(query), (err: unknown) => {
    assert.ok(err instanceof GatewayError, String(err));
    assert.equal(err.code, 'invalid_request');
    assert.equal(err.status, 400);
    assert.equal(err.param, param);
    assert.match(err.message, pattern);
    return true;
  });
};

test('group_by accepts a comma list, repeated parameters and tag keys; duplicates collapse', () => {
  assert.deepEqual(parseSpendQuery({ group_by: 'tenant,model,tag:product' }), { groupBy: ['tenant', 'model', 'tag:product'] });
  assert.deepEqual(parseSpendQuery({ group_by: ['tenant', 'day, tenant'] }).groupBy, ['tenant', 'day']);
  assert.deepEqual(parseSpendQuery({}), { groupBy: [] });
  assert.deepEqual(parseSpendQuery(undefined), { groupBy: [] });
  assert.deepEqual(parseSpendQuery({ group_by: '' }).groupBy, []);
});

test('from/to take ISO dates, date-times and epoch ms', () => {
  const q = parseSpendQuery({ from: '2025-03-01', to: '2025-03-02T12:30:00Z', tenant: 'acme' });
  assert.deepEqual(q, { groupBy: [], from: Date.UTC(2025, 2, 1), to: Date.UTC(2025, 2, 2, 12, 30), tenant: 'acme' });
  assert.equal(parseSpendQuery({ from: '1740787200000' }).from, 1740787200000);
  assert.equal(parseTimeParam('2025-03-01T12:00:00+02:00'), Date.UTC(2025, 2, 1, 10));
  // No zone means UTC, on every server.
  assert.equal(parseTimeParam('2025-03-01T12:00'), Date.UTC(2025, 2, 1, 12));
  assert.equal(parseTimeParam('2025-03-01T12:00:00.250Z'), Date.UTC(2025, 2, 1, 12, 0, 0, 250));
});

test('bad dates are rejected naming the parameter, including impossible calendar days', () => {
  rejectsWith({ from: 'yesterday' }, 'from', /from: expected an ISO-8601/);
  rejectsWith({ to: '2025-02-30' }, 'to', /to: expected/);
  rejectsWith({ from: '2025-03-01T25:00:00Z' }, 'from', /from:/);
  rejectsWith({ from: 'March 1, 2025' }, 'from', /from:/);
  rejectsWith({ from: '2025-03-02', to: '2025-03-01' }, 'to', /later than from/);
  rejectsWith({ from: '2025-03-01', to: '2025-03-01' }, 'to', /later than from/);
});

test('bad group keys are rejected naming group_by', () => {
  rejectsWith({ group_by: 'tenant,colour' }, 'group_by', /unknown key 'colour'/);
  rejectsWith({ group_by: "tag:x'--" }, 'group_by', /tag name/);
  rejectsWith({ group_by: 'tenant,model,route,target,provider,api_key,day,outcome,tag:x' }, 'group_by', /at most 8/);
});

test('unknown parameters and wrong types fail loudly', () => {
  rejectsWith({ groupby: 'tenant' }, 'groupby', /unknown spend parameter: groupby/);
  rejectsWith({ tenant: '' }, 'tenant', /tenant: must not be empty/);
  rejectsWith({ tenant: ['a', 'b'] }, 'tenant', /^tenant: /);
});
