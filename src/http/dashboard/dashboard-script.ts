/**
 * The dashboard's browser script, kept as source text so the page ships inside dist/ with no build
 * step and no CDN (the gateway often runs where there is no internet). It reads only what any
 * operator can already read: `/metrics` (Prometheus text) and `/admin/spend` (admin key, kept in
 * sessionStorage and sent as a bearer token). It never sees prompts or completions.
 */
export const DASHBOARD_SCRIPT = String.raw`
const $ = (id) => document.getElementById(id);
const KEY = 'switchyard-admin-key';
const fmtUsd = (v) => '$' + (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toFixed(4));
const fmtInt = (v) => Math.round(v).toLocaleString('en-US');
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

// Prometheus text format: "name{a=\"x\",b=\"y\"} value" per sample line.
const parseMetrics = (text) => {
  const out = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    for (const l of (m[2] || '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
};
const sum = (samples, name, pred = () => true) => samples.filter((s) => s.name === name && pred(s.labels)).reduce((a, s) => a + s.value, 0);

const quantile = (samples, name, q) => {
  const buckets = new Map();
  for (const s of samples) if (s.name === name + '_bucket') buckets.set(s.labels.le, (buckets.get(s.labels.le) || 0) + s.value);
  const sorted = [...buckets].map(([le, n]) => [le === '+Inf' ? Infinity : Number(le), n]).sort((a, b) => a[0] - b[0]);
  const total = sorted.length ? sorted[sorted.length - 1][1] : 0;
  if (total === 0) return null;
  const hit = sorted.find(([, n]) => n >= q * total);
  return hit ? hit[0] : null;
};

const table = (el, head, rows) => {
  el.innerHTML = rows.length === 0 ? '<p class="muted">nothing yet</p>'
    : '<table><thead><tr>' + head.map((h) => '<th>' + esc(h) + '</th>').join('') + '</tr></thead><tbody>'
      + rows.map((r) => '<tr>' + r.map((c, i) => '<td' + (i > 0 ? ' class="num"' : '') + '>' + c + '</td>').join('') + '</tr>').join('') + '</tbody></table>';
};
const bar = (v, max) => '<span class="bar" style="width:' + (max > 0 ? Math.max(1, (100 * v) / max) : 0).toFixed(1) + '%"></span>';

const adminGet = async (path) => {
  const key = sessionStorage.getItem(KEY);
  const r = await fetch(path, { headers: key ? { authorization: 'Bearer ' + key } : {} });
  if (r.status === 401 || r.status === 403) { $('auth').hidden = false; throw new Error('admin key required'); }
  if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
  return r.json();
};

const spendTable = async (groupBy, el, label, from) => {
  const body = await adminGet('/admin/spend?group_by=' + groupBy + '&from=' + from);
  const rows = body.data.sort((a, b) => b.costMicroUsd - a.costMicroUsd);
  const max = rows.reduce((m, r) => Math.max(m, r.costUsd), 0);
  table(el, [label, 'requests', 'tokens in / out', 'cost', ''],
    rows.map((r) => [esc(r.group[groupBy] ?? '—'), fmtInt(r.requests), fmtInt(r.inputTokens) + ' / ' + fmtInt(r.outputTokens), fmtUsd(r.costUsd), bar(r.costUsd, max)]));
  return rows.reduce((a, r) => a + r.costUsd, 0);
};

const live = (samples) => {
  const requests = sum(samples, 'switchyard_requests_total');
  const errors = sum(samples, 'switchyard_requests_total', (l) => Number(l.status) >= 500);
  const p50 = quantile(samples, 'switchyard_request_duration_seconds', 0.5);
  const p95 = quantile(samples, 'switchyard_request_duration_seconds', 0.95);
  $('requests').textContent = fmtInt(requests);
  $('errors').textContent = requests ? ((100 * errors) / requests).toFixed(2) + '%' : '—';
  // Refused before routing too (bad body, unknown model, auth, limits): not in requests_total.
  $('refused').textContent = fmtInt(sum(samples, 'switchyard_error_responses_total', (l) => Number(l.status) >= 400 && Number(l.status) < 500));
  $('latency').textContent = p50 === null ? '—' : '≤' + (p50 * 1000).toFixed(0) + ' / ≤' + (p95 === Infinity ? '∞' : (p95 * 1000).toFixed(0)) + ' ms';
  $('fallbacks').textContent = fmtInt(sum(samples, 'switchyard_fallbacks_total'));
  const breakers = samples.filter((s) => s.name === 'switchyard_breaker_state');
  table($('breakers'), ['target', 'state'], breakers.map((s) => [esc(s.labels.target), ['closed', 'half-open', '<b class="bad">open</b>'][s.value] ?? String(s.value)]));
  const drift = samples.filter((s) => s.name === 'switchyard_drift_divergence');
  const alarms = sum(samples, 'switchyard_drift_events_total');
  $('drift-alarms').textContent = fmtInt(alarms);
  table($('drift'), ['measure', 'value'], drift.map((s) => [esc(s.labels.measure), s.value.toFixed(3)]));
  // Panels (cascade or envelope) per route: how often the cheap members' answer stood (agreed, or accepted as incomparable).
  const byRoute = new Map();
  for (const s of samples.filter((x) => x.name === 'switchyard_panel_verdicts_total')) {
    const p = byRoute.get(s.labels.route) || { agree: 0, disagree: 0, incomparable: 0, accepted: 0 };
    p[s.labels.verdict] = (p[s.labels.verdict] || 0) + s.value;
    if (s.labels.accepted === 'true') p.accepted += s.value;
    byRoute.set(s.labels.route, p);
  }
  table($('panels'), ['route', 'paneled', 'agreed', 'disagreed', 'incomparable', 'answered by the panel'],
    [...byRoute].map(([r, p]) => {
      const n = p.agree + p.disagree + p.incomparable;
      return [esc(r), fmtInt(n), fmtInt(p.agree), fmtInt(p.disagree), fmtInt(p.incomparable), ((100 * p.accepted) / Math.max(1, n)).toFixed(1) + '%'];
    }));
  const attempts = samples.filter((s) => s.name === 'switchyard_attempts_total');
  const byTarget = new Map();
  for (const s of attempts) {
    const t = byTarget.get(s.labels.target) || { ok: 0, failed: 0 };
    if (s.labels.outcome === 'ok') t.ok += s.value; else t.failed += s.value;
    byTarget.set(s.labels.target, t);
  }
  table($('targets'), ['target', 'attempts', 'failed', 'failure rate'],
    [...byTarget].sort((a, b) => b[1].ok + b[1].failed - a[1].ok - a[1].failed)
      .map(([t, v]) => [esc(t), fmtInt(v.ok + v.failed), fmtInt(v.failed), ((100 * v.failed) / Math.max(1, v.ok + v.failed)).toFixed(1) + '%']));
};

const refresh = async () => {
  try {
    const text = await (await fetch('/metrics')).text();
    live(parseMetrics(text));
    const range = $('range').value;
    const from = range === 'all' ? 0 : Date.now() - Number(range) * 3600_000;
    const total = await spendTable('model', $('by-model'), 'model', from);
    await spendTable('tenant', $('by-tenant'), 'tenant', from);
    await spendTable('route', $('by-route'), 'route', from);
    $('spend').textContent = fmtUsd(total);
    $('status').textContent = 'updated ' + new Date().toLocaleTimeString();
    $('status').className = 'muted';
  } catch (err) {
    $('status').textContent = String(err.message || err);
    $('status').className = 'bad';
  }
};

$('auth-form').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(KEY, $('key').value);
  $('auth').hidden = true;
  refresh();
});
$('range').addEventListener('change', refresh);
refresh();
setInterval(refresh, 5000);
`;
