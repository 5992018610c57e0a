import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecisionRecord, FeedbackRecord, LearningStore, PolicyVersionRecord } from '../spec/learning.js';

export const makeDecision = (over: Partial<DecisionRecord> = {}): DecisionRecord => ({
  decisionId: 'd1', requestId: 'r1', ts: 1_700_000_000_000, tenant: 'acme', route: 'auto', policy: 'bandit', policyVersion: 'v1',
  chosen: 'small', served: 'small', propensity: 0.25,
  considered: [{ targetId: 'small', pQuality: 0.6, expectedCostMicroUsd: 10 }, { targetId: 'large', excluded: 'below-floor' }],
  context: [1, 0, 0.5], taskType: 'code', costMicroUsd: 42, latencyMs: 120, status: 200, ...over,
});

export const makeFeedback = (over: Partial<FeedbackRecord> = {}): FeedbackRecord => ({
  decisionId: 'd1', tenant: 'acme', metric: 'thumbs', value: 1, source: 'user', ts: 1_700_000_001_000, ...over,
});

const makeVersion = (over: Partial<PolicyVersionRecord> = {}): PolicyVersionRecord => ({
  id: 'pv1', route: 'auto', tenant: '*', kind: 'initial', created: 1, parent: null, status: 'active', blob: '{"arms":{}}', ...over,
});

/** One behavioural suite for every LearningStore implementation (SQLite and Postgres). */
export const runLearningStoreConformance = (name: string, fresh: () => Promise<LearningStore>): void => {
  describe(`learning store conformance: ${name}`, () => {
    test('decisions round-trip whole; a repeated decision id is ignored', async () => {
      const store = await fresh();
      const d = makeDecision({ served: null, propensity: 0.123456789, context: [0.1, -2, 3.5] });
      await store.insertDecisions([d, makeDecision({ decisionId: 'd2', requestId: 'r2', ts: d.ts + 1 })]);
      await store.insertDecisions([makeDecision({ chosen: 'other' })]);
      assert.deepEqual(await store.getDecision('d1'), d);
      assert.equal(await store.getDecision('nope'), undefined);
      assert.deepEqual((await store.listDecisions({})).map((x) => x.decisionId), ['d1', 'd2']);
    });

    test('decisions filter by tenant, route and time; limit keeps the oldest', async () => {
      const store = await fresh();
      await store.insertDecisions([
        makeDecision({ decisionId: 'a', ts: 10, tenant: 'acme' }),
        makeDecision({ decisionId: 'b', ts: 20, tenant: 'globex' }),
        makeDecision({ decisionId: 'c', ts: 30, tenant: 'acme', route: 'other' }),
      ]);
      const ids = async (q: Parameters<LearningStore['listDecisions']>[0]): Promise<string[]> => (await store.listDecisions(q)).map((d) => d.decisionId);
      assert.deepEqual(await ids({ tenant: 'acme' }), ['a', 'c']);
      assert.deepEqual(await ids({ route: 'auto' }), ['a', 'b']);
      assert.deepEqual(await ids({ from: 20, to: 30 }), ['b']);
      assert.deepEqual(await ids({ limit: 2 }), ['a', 'b']);
      assert.deepEqual(await ids({ tenant: "acme' OR '1'='1" }), []);
    });

    test('feedback: duplicates (decision, metric, source, idempotency key) are ignored; others kept', async () => {
      const store = await fresh();
      const first = makeFeedback({ comment: 'great', label: 'ok' });
      await store.insertFeedback([first, makeFeedback({ value: 0 })]);
      await store.insertFeedback([makeFeedback({ value: 0 })]);
      const providerError = makeFeedback({ source: 'implicit', value: 0, target: 'large' });
      await store.insertFeedback([providerError, makeFeedback({ idempotencyKey: 'k2', value: 0 }), makeFeedback({ metric: 'accepted' })]);
      const all = await store.listFeedback({ decisionId: 'd1' });
      assert.equal(all.length, 4);
      // The arm a provider error is credited to is stored with it.
      assert.deepEqual(all.find((f) => f.source === 'implicit'), providerError);
      assert.deepEqual(all.find((f) => f.metric === 'thumbs' && f.source === 'user' && f.idempotencyKey === undefined), first);
      assert.equal(await store.hasFeedback({ decisionId: 'd1', metric: 'thumbs', source: 'user' }), true);
      assert.equal(await store.hasFeedback({ decisionId: 'd1', metric: 'thumbs', source: 'user', idempotencyKey: 'k3' }), false);
      assert.equal(await store.hasFeedback({ decisionId: 'd1', metric: 'thumbs', source: 'judge' }), false);
      assert.deepEqual(await store.listFeedback({ tenant: 'globex' }), []);
    });

    test('policy versions: saving an active version retires the previous one; activate switches back', async () => {
      const store = await fresh();
      await store.savePolicyVersion(makeVersion({ id: 'v1', created: 1 }));
      await store.savePolicyVersion(makeVersion({ id: 'v2', created: 2, parent: 'v1', kind: 'online-update' }));
      await store.savePolicyVersion(makeVersion({ id: 'v3', created: 3, parent: 'v2', status: 'candidate' }));
      await store.savePolicyVersion(makeVersion({ id: 'o1', created: 4, route: 'other' }));
      const status = async (): Promise<string[]> => (await store.listPolicyVersions({ route: 'auto' })).map((v) => `${v.id}:${v.status}`);
      assert.deepEqual(await status(), ['v3:candidate', 'v2:active', 'v1:retired']);
      const back = await store.activatePolicyVersion('v1');
      assert.equal(back.status, 'active');
      assert.deepEqual(await status(), ['v3:candidate', 'v2:retired', 'v1:active']);
      assert.deepEqual((await store.listPolicyVersions({ status: 'active' })).map((v) => v.id).sort(), ['o1', 'v1']);
      assert.equal((await store.getPolicyVersion('v2'))?.parent, 'v1');
      assert.equal((await store.getPolicyVersion('v2'))?.blob, '{"arms":{}}');
      await assert.rejects(store.activatePolicyVersion('missing'), /does not exist/);
    });

    test('policy versions saved and activated at once (replicas starting together) leave exactly one active', async () => {
      const store = await fresh();
      await store.savePolicyVersion(makeVersion({ id: 'seed', created: 0 }));
      await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => store.savePolicyVersion(makeVersion({ id: `c${i}`, created: i + 1 }))),
        store.activatePolicyVersion('seed'),
      ]);
      const active = await store.listPolicyVersions({ route: 'auto', status: 'active' });
      assert.equal(active.length, 1);
      assert.equal((await store.listPolicyVersions({ route: 'auto' })).length, 7);
    });

    test('a batch of 3,000 decisions and feedback rows is stored whole', async () => {
      const store = await fresh();
      const n = 3000;
      await store.insertDecisions(Array.from({ length: n }, (_, i) => makeDecision({ decisionId: `d${i}`, requestId: `r${i}`, ts: i })));
      await store.insertFeedback(Array.from({ length: n }, (_, i) => makeFeedback({ decisionId: `d${i}`, ts: i })));
      assert.equal((await store.listDecisions({})).length, n);
      assert.equal((await store.listFeedback({})).length, n);
    });
  });
};
