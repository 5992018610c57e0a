import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import { registerPolicyCommand } from '../../src/cli/commands/policy.js';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.js';

const STANDARD = 'sk-standard-0123456789abcdef';
const PREMIUM = 'sk-premium-0123456789abcdef';
const ADMIN = 'sk-admin-0123456789abcdef';

describe('bandit route through the real server: decisions, feedback, policy versions', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({
      tenants: [
        { id: 'std', keys: [{ id: 'std-1', key: STANDARD }] },
        { id: 'vip', tier: 'premium', keys: [{ id: 'vip-1', key: PREMIUM }] },
      ],
      auth: { adminKeys: [{ id: 'ops', key: ADMIN }] },
      routes: [{ name: 'learn', targets: ['small', 'medium', 'large'], policy: { type: 'bandit', epsilon: 0.2 } }],
    });
  });
  after(() => gw.close());

  const call = async (path: string, key: string, body?: unknown, method = 'POST'): Promise<Response> =>
    fetch(`${gw.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const chat = async (key: string, text: string): Promise<{ decisionId: string; model: string; policy: string }> => {
    const r = await call('/v1/chat/completions', key, { model: 'learn', messages: [{ role: 'user', content: text }] });
    assert.equal(r.status, 200);
    await r.arrayBuffer();
    return { decisionId: r.headers.get('x-switchyard-decision-id') ?? '', model: r.headers.get('x-switchyard-model') ?? '', policy: r.headers.get('x-switchyard-policy') ?? '' };
  };
  const ledgerVersions = async (): Promise<Map<string, string>> => {
    await gw.flushLedger();
    const db = new Database(gw.ledgerPath, { readonly: true });
    try {
      const rows = db.prepare("SELECT decision_id, policy_version FROM ledger WHERE route = 'learn'").all() as Array<{ decision_id: string; policy_version: string }>;
      return new Map(rows.map((r) => [r.decision_id, r.policy_version]));
    } finally {
      db.close();
    }
  };

  test('premium traffic at cold start is never served below its floor; decisions carry propensities', async () => {
    for (let i = 0; i < 20; i++) assert.equal((await chat(PREMIUM, `translate to German: apple ${i}`)).model, 'large');
    const { decisionId } = await chat(STANDARD, 'translate to German: pear');
    await gw.learning.flush();
    const d = await gw.ledger.learning.getDecision(decisionId);
    assert.ok(d && d.propensity > 0 && d.propensity <= 1);
    assert.equal(d.context.length, 16);
    assert.equal(d.considered.length, 3);
  });

  test('promote and rollback change the version stamped on new ledger rows', async () => {
    const initial = gw.policyVersions.activeVersion('learn');
    assert.ok(initial?.startsWith('pv-'));
    const before = await chat(STANDARD, 'summarize: the cat sat on the mat');
    assert.equal(before.policy, `bandit@${initial}`);
    for (let i = 0; i < 10; i++) {
      const { decisionId } = await chat(STANDARD, `classify the sentiment: great product ${i}`);
      const r = await call('/v1/feedback', STANDARD, { decision_id: decisionId, thumbs: i % 3 === 0 ? 'down' : 'up' });
      assert.equal(r.status, 202);
    }
    const snap = await call('/admin/policies/snapshot', ADMIN, { route: 'learn' });
    assert.equal(snap.status, 201);
    const next = ((await snap.json()) as { id: string; parent: string }).id;
    const afterSnapshot = await chat(STANDARD, 'summarize: the dog sat on the log');
    const rolled = await call('/admin/policies/rollback', ADMIN, { route: 'learn' });
    assert.equal(rolled.status, 200);
    assert.equal(((await rolled.json()) as { id: string }).id, initial);
    const afterRollback = await chat(STANDARD, 'summarize: the bird sat on the wire');
    const promoted = await call(`/admin/policies/${next}/promote`, ADMIN, {});
    assert.equal(promoted.status, 200);
    const afterPromote = await chat(STANDARD, 'summarize: the fish sat in the dish');
    const versions = await ledgerVersions();
    assert.equal(versions.get(before.decisionId), initial);
    assert.equal(versions.get(afterSnapshot.decisionId), next);
    assert.equal(versions.get(afterRollback.decisionId), initial);
    assert.equal(versions.get(afterPromote.decisionId), next);
    const list = (await (await call('/admin/policies?route=learn', ADMIN, undefined, 'GET')).json()) as { data: Array<{ id: string; status: string }> };
    assert.deepEqual(list.data.filter((v) => v.status === 'active').map((v) => v.id), [next]);
  });

  test('the admin policy API needs the admin key and validates its input', async () => {
    assert.equal((await call('/admin/policies', STANDARD, undefined, 'GET')).status, 403);
    assert.equal((await call('/admin/policies/rollback', ADMIN, {})).status, 400);
    assert.equal((await call('/admin/policies/rollback', ADMIN, { route: 'auto' })).status, 404);
    assert.equal((await call('/admin/policies/pv-nope/promote', ADMIN, {})).status, 404);
  });

  test('switchyard policy list / snapshot / rollback against the running gateway', async () => {
    const cli = async (...args: string[]): Promise<{ out: string; err: string }> => {
      let out = '';
      let err = '';
      const program = new Command('switchyard').exitOverride();
      registerPolicyCommand(program, { out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; }, env: { SWITCHYARD_ADMIN_KEY: ADMIN }, fetch });
      const before = process.exitCode;
      try {
        await program.parseAsync(['node', 'switchyard', 'policy', ...args, '--url', gw.url]);
      } finally {
        process.exitCode = before;
      }
      return { out, err };
    };
    const active = gw.policyVersions.activeVersion('learn') ?? '';
    const snap = await cli('snapshot', '--route', 'learn');
    assert.equal(snap.err, '');
    const id = snap.out.split('  ')[0] ?? '';
    assert.equal(gw.policyVersions.activeVersion('learn'), id);
    const list = await cli('list', '--route', 'learn');
    assert.match(list.out, new RegExp(`${id}  learn  \\*  manual  active`));
    await cli('rollback', '--route', 'learn');
    assert.equal(gw.policyVersions.activeVersion('learn'), active);
    const bad = await cli('promote', 'pv-missing');
    assert.match(bad.err, /404/);
  });
});
