import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Script } from 'node:vm';
import { DASHBOARD_SCRIPT } from '../../src/http/dashboard/dashboard-script.js';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.js';

let gw: TestGateway;
before(async () => {
  gw = await startTestGateway();
});
after(() => gw.close());

test('GET /dashboard serves a self-contained page that makes no external request', async () => {
  const r = await fetch(`${gw.url}/dashboard`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  const html = await r.text();
  assert.match(html, /<title>Switchyard dashboard<\/title>/);
  assert.doesNotMatch(html, /https?:\/\//, 'no CDN or external URL: the gateway often runs without internet');
  assert.doesNotThrow(() => new Script(DASHBOARD_SCRIPT), 'the browser script is valid JavaScript');
});

test('the endpoints the dashboard reads answer in the shapes it parses', async () => {
  const chat = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hello' }] }),
  });
  assert.equal(chat.status, 200);
  await gw.flushLedger();
  const metrics = await (await fetch(`${gw.url}/metrics`)).text();
  assert.match(metrics, /^switchyard_requests_total\{route="auto",model="small",status="200",stream="false"\} 1$/m);
  assert.match(metrics, /^switchyard_request_duration_seconds_bucket\{le="\+Inf",route="auto",model="small"\} 1$/m);
  const spend = (await (await fetch(`${gw.url}/admin/spend?group_by=model&from=0`)).json()) as { data: Array<{ group: Record<string, string>; requests: number; costUsd: number }> };
  assert.equal(spend.data.length, 1);
  assert.equal(spend.data[0]?.group['model'], 'small');
  assert.equal(spend.data[0]?.requests, 1);
  assert.ok((spend.data[0]?.costUsd ?? 0) > 0);
});

test('the script renders what it reads: panel verdicts per route, breakers, fallbacks', async () => {
  const metrics = [
    'switchyard_panel_verdicts_total{route="vote",verdict="agree",accepted="true"} 6',
    'switchyard_panel_verdicts_total{route="vote",verdict="disagree",accepted="false"} 3',
    'switchyard_panel_verdicts_total{route="vote",verdict="incomparable",accepted="false"} 1',
    'switchyard_fallbacks_total{route="vote"} 4',
    'switchyard_breaker_state{target="small"} 2',
  ].join('\n');
  const elements = new Map<string, { textContent: string; innerHTML: string; value: string; hidden: boolean; className: string; addEventListener: () => void }>();
  const element = (id: string) => {
    let e = elements.get(id);
    if (!e) elements.set(id, (e = { textContent: '', innerHTML: '', value: id === 'range' ? 'all' : '', hidden: true, className: '', addEventListener: () => {} }));
    return e;
  };
  const context = {
    document: { getElementById: element },
    sessionStorage: { getItem: () => null, setItem: () => {} },
    fetch: async () => ({
      ok: true, status: 200,
      text: async () => metrics,
      json: async () => ({ data: [] }),
    }),
    setInterval: () => 0,
  };
  new Script(DASHBOARD_SCRIPT).runInNewContext(context);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const panels = element('panels').innerHTML;
  assert.match(panels, /<td>vote<\/td><td class="num">10<\/td><td class="num">6<\/td><td class="num">3<\/td><td class="num">1<\/td><td class="num">60\.0%<\/td>/);
  assert.equal(element('fallbacks').textContent, '4');
  assert.match(element('breakers').innerHTML, /small.*open/);
});
