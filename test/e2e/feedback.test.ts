import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.js';

const ACME = 'sk-acme-0123456789abcdef';
const GLOBEX = 'sk-globex-0123456789abcdef';

describe('POST /v1/feedback through the real server', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({
      tenants: [
        { id: 'acme', tier: 'premium', keys: [{ id: 'acme-1', key: ACME }] },
        { id: 'globex', keys: [{ id: 'globex-1', key: GLOBEX }] },
      ],
      learning: { metrics: [{ name: 'thumbs', kind: 'boolean' }, { name: 'rating', kind: 'float', range: [1, 5] }, { name: 'score', kind: 'float' }] },
    });
  });
  after(() => gw.close());

  const post = (path: string, key: string, body: unknown) =>
    fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  const decide = async (key = ACME): Promise<string> => {
    const r = await post('/v1/chat/completions', key, { model: 'auto', messages: [{ role: 'user', content: `hello ${Math.random()}` }] });
    assert.equal(r.status, 200);
    const id = r.headers.get('x-switchyard-decision-id');
    assert.ok(id);
    return id;
  };
  const feedback = async (body: Record<string, unknown>, key = ACME): Promise<{ status: number; json: Record<string, unknown> }> => {
    const r = await post('/v1/feedback', key, body);
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
  };

  test('thumbs sugar and a float metric are accepted (202), stored with the decision in the ledger database', async () => {
    const id = await decide();
    const a = await feedback({ decision_id: id, thumbs: 'up', comment: 'nice' });
    assert.equal(a.status, 202);
    assert.deepEqual(a.json, { object: 'feedback', decision_id: id, metric: 'thumbs', status: 'accepted' });
    const b = await feedback({ decision_id: id, metric: 'rating', value: 4 });
    assert.equal(b.json['status'], 'accepted');
    await gw.learning.flush();
    const stored = await gw.ledger.learning.listFeedback({ decisionId: id });
    assert.deepEqual(stored.map((f) => [f.metric, f.value, f.source, f.tenant]).sort(), [['rating', 4, 'user', 'acme'], ['thumbs', 1, 'user', 'acme']]);
    const decision = await gw.ledger.learning.getDecision(id);
    assert.equal(decision?.tenant, 'acme');
    assert.equal(decision?.served, 'small');
    assert.equal(decision?.propensity, 1);
    assert.ok((decision?.context.length ?? 0) > 0);
  });

  test('a repeated POST is a duplicate, in memory and after a restart of the join (stored feedback)', async () => {
    const id = await decide();
    const body = { decision_id: id, metric: 'score', value: 0.3, idempotency_key: 'k1' };
    assert.equal((await feedback(body)).json['status'], 'accepted');
    assert.equal((await feedback(body)).json['status'], 'duplicate');
    const twins = await Promise.all([1, 2, 3].map(() => feedback({ decision_id: id, metric: 'score', value: 0.9, idempotency_key: 'k2' })));
    assert.deepEqual(twins.map((t) => t.json['status']).sort(), ['accepted', 'duplicate', 'duplicate']);
    await gw.learning.flush();
    assert.equal((await gw.ledger.learning.listFeedback({ decisionId: id })).length, 2);
  });

  test("another tenant's decision is not found (404), exactly like an unknown id", async () => {
    const id = await decide(ACME);
    const other = await feedback({ decision_id: id, thumbs: 'down' }, GLOBEX);
    const unknown = await feedback({ decision_id: 'no-such-decision', thumbs: 'down' }, GLOBEX);
    assert.equal(other.status, 404);
    assert.equal(unknown.status, 404);
    const code = (x: { json: Record<string, unknown> }): unknown => (x.json['error'] as { code: string }).code;
    assert.equal(code(other), 'decision_not_found');
    assert.equal(code(unknown), 'decision_not_found');
    await gw.learning.flush();
    assert.deepEqual(await gw.ledger.learning.listFeedback({ decisionId: id }), []);
  });

  test('bad input is a 400 naming the field', async () => {
    const id = await decide();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ decision_id: id, metric: 'nope', value: 1 }, 'metric'],
      [{ decision_id: id, metric: 'rating', value: 9 }, 'value'],
      [{ decision_id: id, metric: 'thumbs', value: 0.5 }, 'value'],
      [{ decision_id: id, metric: 'rating' }, 'value'],
      [{ decision_id: id, thumbs: 'sideways' }, 'thumbs'],
      [{ thumbs: 'up' }, 'decision_id'],
      [{ decision_id: id, thumbs: 'up', extra: 1 }, ''],
      [{ decision_id: id, metric: 'score', value: 'true' }, 'value'],
    ];
    for (const [body, param] of cases) {
      const r = await feedback(body);
      assert.equal(r.status, 400, JSON.stringify(body));
      const err = r.json['error'] as { param: string | null; message: string };
      if (param) assert.equal(err.param, param, JSON.stringify(body));
      if (body['value'] === 'true') assert.match(err.message, /value: expected true, false or a finite number/);
    }
  });
});
