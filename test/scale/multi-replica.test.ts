import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { withService } from '../helpers/require-service.js';
import { deleteKeys, redisService, redisUrl, testKeyPrefix } from '../helpers/redis-service.js';
import { createTestSchema, postgresService, type TestSchema } from '../helpers/postgres-service.js';
import { spawnReplicas, type Replica } from '../helpers/spawn-replicas.js';

const REPLICAS = 3;
const RPM = 120;
const BUDGET_USD = 0.05;
const KEYS = { open: 'sk-open-0123456789abcdef', limited: 'sk-limited-0123456789abcdef', budgeted: 'sk-budget-0123456789abcdef', admin: 'sk-admin-0123456789abcdef' };
const MODELS = [
  { id: 'small', prices: { input: 0.2, output: 0.6 } },
  { id: 'medium', prices: { input: 1, output: 2 } },
  { id: 'large', prices: { input: 10, output: 30 } },
];

const configFor = (simUrl: string, ledgerUrl: string, keyPrefix: string) => ({
  logging: { level: 'warn' },
  ledger: { driver: 'postgres', url: ledgerUrl, flushIntervalMs: 50 },
  state: { driver: 'redis', url: redisUrl, keyPrefix, syncIntervalMs: 50 },
  execution: { maxAttemptsPerTarget: 1, backoffBaseMs: 1, backoffMaxMs: 5, attemptTimeoutMs: 5_000, totalTimeoutMs: 10_000 },
  breaker: { failureThreshold: 3, cooldownMs: 120_000 },
  providers: { up: { kind: 'openai', baseUrl: `${simUrl}/v1`, apiKey: 'sk-upstream-unused' } },
  models: MODELS.map((m) => ({ ...m, provider: 'up', contextWindow: 8_192, maxOutputTokens: 1_024 })),
  routes: [
    { name: 'auto', targets: ['small', 'medium'], policy: { type: 'fixed' } },
    { name: 'pricey', targets: ['large'], policy: { type: 'fixed' } },
    { name: 'learn', targets: ['small', 'medium'], policy: { type: 'bandit' } },
  ],
  tenants: [
    { id: 'open', keys: [{ id: 'open-1', key: KEYS.open }] },
    { id: 'limited', keys: [{ id: 'limited-1', key: KEYS.limited, limits: { rpm: RPM } }] },
    { id: 'budgeted', keys: [{ id: 'budgeted-1', key: KEYS.budgeted }], budget: { usd: BUDGET_USD, period: 'day' } },
  ],
  auth: { adminKeys: [{ id: 'ops', key: KEYS.admin }] },
});

interface Sent {
  requestId: string;
  status: number;
  model: string | null;
}

/** Sends `count` requests to one replica, `concurrency` at a time; every request has its own id. */
const drive = async (url: string, key: string, count: number, concurrency: number, body: Record<string, unknown> = {}): Promise<Sent[]> => {
  const out: Sent[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      next += 1;
      const requestId = randomUUID();
      const res = await request(`${url}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-request-id': requestId },
        body: JSON.stringify({ model: 'auto', max_tokens: 30, messages: [{ role: 'user', content: `hello ${requestId}` }], ...body }),
      });
      await res.body.text();
      out.push({ requestId, status: res.statusCode, model: (res.headers['x-switchyard-model'] as string | undefined) ?? null });
    }
  }));
  return out;
};

const poll = async (what: string, cond: () => Promise<boolean>): Promise<void> => {
  for (let i = 0; i < 200; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`never happened: ${what}`);
};

const admin = async (url: string, path: string): Promise<string> => (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${KEYS.admin}` } })).text();

await withService(redisService, () => withService(postgresService, () => {
  describe(`${REPLICAS} gateway processes on one Redis and one Postgres`, () => {
    let sim: Simulator;
    let schema: TestSchema;
    let replicas: Replica[] = [];
    const keyPrefix = testKeyPrefix();
    const sent: Sent[] = [];

    before(async () => {
      sim = createSimulator({ models: MODELS.map((m) => ({ id: m.id, ttftMs: 0, tokensPerSecond: 1_000, contextWindow: 8_192 })), latencyScale: 0 });
      const simUrl = await sim.listen(0, '127.0.0.1');
      schema = await createTestSchema();
      replicas = await spawnReplicas(REPLICAS, configFor(simUrl, schema.url, keyPrefix));
    });
    after(async () => {
      await Promise.all(replicas.map((r) => r.stop('SIGKILL')));
      await schema?.drop();
      await deleteKeys(keyPrefix);
      await sim?.close();
    });

    test('(d) statistics added on one replica are read on the others', async () => {
      sent.push(...(await drive(replicas[0]!.url, KEYS.open, 20, 4)));
      for (const r of replicas.slice(1)) {
        await poll('replica sees the 20 attempts made by replica 0', async () => {
          const body = JSON.parse(await admin(r.url, '/admin/stats?prefix=target:')) as { data: Array<{ key: string; values: Record<string, number> }> };
          return body.data.find((d) => d.key === 'target:small')?.values['attempts'] === 20;
        });
      }
    });

    test('(d) the bandit learns from feedback on one replica; the others read the same statistics', async () => {
      const banditStats = async (url: string): Promise<Array<{ key: string; values: Record<string, number> }>> =>
        (JSON.parse(await admin(url, '/admin/stats?prefix=bandit:learn:global:')) as { data: Array<{ key: string; values: Record<string, number> }> }).data;
      const observations = async (url: string): Promise<number> => (await banditStats(url)).reduce((a, d) => a + (d.values['n'] ?? 0), 0);
      for (let i = 0; i < 6; i++) {
        const requestId = randomUUID();
        const res = await fetch(`${replicas[0]!.url}/v1/chat/completions`, {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.open}`, 'x-request-id': requestId },
          body: JSON.stringify({ model: 'learn', max_tokens: 20, messages: [{ role: 'user', content: `question ${i}` }] }),
        });
        await res.text();
        sent.push({ requestId, status: res.status, model: res.headers.get('x-switchyard-model') });
        const decisionId = res.headers.get('x-switchyard-decision-id');
        const fb = await fetch(`${replicas[0]!.url}/v1/feedback`, {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.open}` },
          body: JSON.stringify({ decision_id: decisionId, thumbs: 'up' }),
        });
        assert.equal(fb.status, 202, await fb.text());
      }
      // Each feedback is (at least) one observation on the global arm of the target that answered
      // (implicit signals may add more); other replicas must converge on the same sums.
      await poll('replica 0 recorded the feedback', async () => (await observations(replicas[0]!.url)) >= 6);
      // Float sums may differ in the last digit (local adds vs Redis's long-double HINCRBYFLOAT): compare to 1e-9.
      type Stats = Array<{ key: string; values: Record<string, number> }>;
      const same = (a: Stats, b: Stats): boolean =>
        a.length === b.length && a.every((l, i) => b[i]?.key === l.key
          && Object.entries(l.values).every(([f, v]) => Math.abs((b[i]?.values[f] ?? NaN) - v) <= 1e-9 * Math.max(1, Math.abs(v))));
      for (const r of replicas.slice(1)) {
        await poll('the other replicas read the same bandit statistics', async () => {
          const [mine, theirs] = await Promise.all([banditStats(replicas[0]!.url), banditStats(r.url)]);
          return (await observations(r.url)) >= 6 && same(mine, theirs);
        });
      }
    });

    test('(c) a breaker opened by one replica is honoured by the others', async () => {
      sim.setFaults('small', { rate5xx: 1 });
      // Replica 0 alone sees small fail three times (each request falls back to medium) and opens its breaker.
      const first = await drive(replicas[0]!.url, KEYS.open, 3, 1);
      sent.push(...first);
      assert.deepEqual(first.map((s) => s.model), ['medium', 'medium', 'medium']);
      sim.setFaults('small', {});
      const callsBefore = sim.stats()['small']?.calls ?? 0;
      for (const r of replicas.slice(1)) {
        await poll('the other replica reports the breaker open', async () => (await (await fetch(`${r.url}/metrics`)).text()).includes('switchyard_breaker_state{target="small"} 2'));
        // Small is healthy again, but nobody else probes it during the cooldown: they go straight to medium.
        const later = await drive(r.url, KEYS.open, 5, 2);
        sent.push(...later);
        assert.deepEqual(later.map((s) => s.model), Array(5).fill('medium'));
      }
      assert.equal(sim.stats()['small']?.calls ?? 0, callsBefore, 'no replica called the open target');
    });

    test(`(a) a limit of ${RPM} requests/min holds across replicas under concurrent load`, async () => {
      const started = Date.now();
      const results = (await Promise.all(replicas.map((r) => drive(r.url, KEYS.limited, RPM + 30, 8)))).flat();
      const elapsedMs = Date.now() - started;
      sent.push(...results);
      const admitted = results.filter((s) => s.status === 200).length;
      // A token bucket of one minute's worth, refilled continuously: at most RPM plus the refill during the run.
      const bound = (RPM + (RPM * elapsedMs) / 60_000) * 1.01;
      // Requests served on local state (Redis too slow to answer) are not held to the shared limit: say so if any.
      const fallbacks = await Promise.all(replicas.map(async (r) => /switchyard_state_fallbacks_total (\d+)/.exec(await (await fetch(`${r.url}/metrics`)).text())?.[1]));
      assert.ok(admitted <= bound, `admitted ${admitted} > ${bound.toFixed(1)} (elapsed ${elapsedMs} ms; fallbacks per replica ${fallbacks.join(',')})`);
      assert.deepEqual(fallbacks, Array(REPLICAS).fill('0'), 'every check went to Redis');
      assert.ok(admitted >= RPM, `the full minute's worth is usable: ${admitted}`);
      assert.equal(results.filter((s) => s.status !== 200 && s.status !== 429).length, 0);
      console.log(`  rate limit: ${admitted} admitted of ${results.length} over ${elapsedMs} ms on ${REPLICAS} replicas (limit ${RPM}/min; bound ${bound.toFixed(1)}; per-replica limits would admit ${REPLICAS * RPM})`);
    });

    test('(b) a budget is not overspent by more than one in-flight request per replica', async () => {
      const results = (await Promise.all(replicas.map((r) => drive(r.url, KEYS.budgeted, 40, 6, { model: 'pricey', max_tokens: 50 })))).flat();
      sent.push(...results);
      assert.ok(results.some((s) => s.status === 402), 'the budget ran out');
      assert.equal(results.filter((s) => s.status !== 200 && s.status !== 402).length, 0);
      await Promise.all(replicas.map((r) => admin(r.url, '/healthz')));
      await poll('every admitted request is in the ledger', async () => {
        const [row] = await schema.query<{ n: string }>("SELECT count(DISTINCT request_id) AS n FROM $schema.ledger WHERE tenant = 'budgeted'");
        return Number(row?.n) === results.filter((s) => s.status === 200).length;
      });
      const [row] = await schema.query<{ cost: string; worst: string }>("SELECT sum(cost_micro_usd) AS cost, max(cost_micro_usd) AS worst FROM $schema.ledger WHERE tenant = 'budgeted'");
      const spent = Number(row?.cost);
      const limit = BUDGET_USD * 1e6;
      assert.ok(spent <= limit + REPLICAS * Number(row?.worst), `spent ${spent} µUSD of ${limit}`);
      assert.ok(spent > limit * 0.5, `most of the budget was usable: ${spent}`);
      console.log(`  budget: spent ${spent} of ${limit} µUSD; ${results.filter((s) => s.status === 200).length} admitted, ${results.filter((s) => s.status === 402).length} refused`);
    });

    test('(e) after SIGTERM no ledger row is lost or duplicated', async () => {
      const codes = await Promise.all(replicas.map((r) => r.stop('SIGTERM')));
      assert.deepEqual(codes, Array(REPLICAS).fill(0));
      const reached = sent.filter((s) => s.status !== 429 && s.status !== 402);
      const rows = await schema.query<{ request_id: string; attempts: string; ok: string }>(
        "SELECT request_id, count(*) AS attempts, count(*) FILTER (WHERE outcome = 'ok') AS ok FROM $schema.ledger GROUP BY request_id");
      const byId = new Map(rows.map((r) => [r.request_id, r]));
      assert.equal(byId.size, reached.length, 'one set of rows per request that reached an upstream');
      for (const s of reached) {
        const r = byId.get(s.requestId);
        assert.ok(r, `request ${s.requestId} (status ${s.status}) has no ledger row`);
        if (s.status === 200) assert.equal(Number(r.ok), 1, `request ${s.requestId}: exactly one successful attempt`);
      }
      const [dups] = await schema.query<{ n: string }>('SELECT count(*) - count(DISTINCT (request_id, attempt)) AS n FROM $schema.ledger');
      assert.equal(Number(dups?.n), 0);
    });
  });
}));
