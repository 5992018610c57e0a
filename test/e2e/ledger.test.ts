import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { startTestGateway } from '../helpers/start-test-gateway.js';

interface Row { tenant: string; api_key_id: string; tags: string; route: string; target: string; input_tokens: number; output_tokens: number; cost_micro_usd: number; outcome: string; attempt: number; config_hash: string; decision_id: string; latency_ms: number }

describe('cost ledger', () => {
  test('one row per attempt with tags and cost; everything flushed on shutdown', async () => {
    const gw = await startTestGateway();
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0, defaultHeaders: { 'x-switchyard-tags': 'product=search,feature=summary' } });
    gw.simulators[0]!.setFaults('small', { failNext: ['server_error'] });
    const n = 25;
    await Promise.all(Array.from({ length: n }, (_, i) => client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: `Question ${i}` }] })));
    const stream = await client.chat.completions.create({ model: 'auto', stream: true, messages: [{ role: 'user', content: 'stream me' }] });
    for await (const _ of stream) { /* drain */ }
    await gw.close(); // no explicit flush: shutdown must flush
    const db = new Database(gw.ledgerPath, { readonly: true });
    const rows = db.prepare('SELECT * FROM ledger').all() as Row[];
    db.close();
    assert.equal(rows.length, n + 1 + 1, 'every request plus the one failed attempt');
    const failed = rows.filter((r) => r.outcome !== 'ok');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.cost_micro_usd, 0);
    for (const r of rows.filter((x) => x.outcome === 'ok')) {
      assert.equal(r.tenant, 'default');
      assert.deepEqual(JSON.parse(r.tags), { product: 'search', feature: 'summary' });
      assert.ok(r.input_tokens > 0 && r.output_tokens > 0);
      // small: $0.2/M input, $0.6/M output → micro-USD = 0.2·in + 0.6·out
      assert.equal(r.cost_micro_usd, Math.round(0.2 * r.input_tokens + 0.6 * r.output_tokens));
      assert.match(r.config_hash, /^[0-9a-f]{12}$/);
    }
  });

  test('spend API groups by model and tag', async () => {
    const gw = await startTestGateway();
    try {
      const headers = { 'content-type': 'application/json' };
      for (const [model, tags] of [['small', 'product=a'], ['large', 'product=b'], ['large', 'product=b']] as const) {
        await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { ...headers, 'x-switchyard-tags': tags }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });
      }
      await gw.flushLedger();
      const r = await fetch(`${gw.url}/admin/spend?group_by=model,tag:product`);
      const body = (await r.json()) as { data: Array<{ group: Record<string, string>; requests: number; costMicroUsd: number }> };
      const large = body.data.find((x) => x.group['model'] === 'large');
      assert.equal(large?.requests, 2);
      assert.equal(large?.group['tag:product'], 'b');
      const bad = await fetch(`${gw.url}/admin/spend?group_by=color`);
      assert.equal(bad.status, 400);
    } finally {
      await gw.close();
    }
  });
});
