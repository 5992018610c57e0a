import { DASHBOARD_SCRIPT } from './dashboard-script.js';

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1d232b; }
header { background: #1d232b; color: #fff; padding: 12px 24px; display: flex; gap: 24px; align-items: baseline; }
header h1 { font-size: 18px; margin: 0; }
main { padding: 16px 24px; display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); }
section { overflow-x: auto; background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 12px 16px; }
section h2 { font-size: 14px; margin: 0 0 8px; text-transform: uppercase; letter-spacing: .04em; color: #55606e; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; grid-column: 1 / -1; }
.card { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 10px 16px; min-width: 150px; }
.card b { display: block; font-size: 22px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #eef0f2; white-space: nowrap; }
td.num, th:not(:first-child) { text-align: right; }
.bar { display: inline-block; height: 10px; background: #3b82f6; border-radius: 2px; }
td:last-child { width: 25%; text-align: left; }
.muted { color: #7b8794; } .bad { color: #c0262d; }
#auth { grid-column: 1 / -1; }
`;

/**
 * GET /dashboard: a self-contained page (inline style and script, no external requests) showing
 * live traffic from /metrics and spend from the ledger through /admin/spend.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchyard dashboard</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>Switchyard</h1><span id="status" class="muted">loading…</span>
<label>spend over <select id="range"><option value="1">last hour</option><option value="24" selected>last 24 h</option><option value="168">last 7 days</option><option value="all">all time</option></select></label></header>
<main>
<section id="auth" hidden><h2>Admin key</h2><form id="auth-form"><input id="key" type="password" placeholder="admin key" size="48" autocomplete="off"> <button>Use</button></form>
<p class="muted">Spend comes from the admin API. The key stays in this browser tab (sessionStorage).</p></section>
<div class="cards">
<div class="card">requests<b id="requests">—</b></div>
<div class="card">5xx rate<b id="errors">—</b></div>
<div class="card">client errors (4xx)<b id="refused">—</b></div>
<div class="card">latency p50 / p95<b id="latency">—</b></div>
<div class="card">fallbacks<b id="fallbacks">—</b></div>
<div class="card">spend<b id="spend">—</b></div>
<div class="card">drift alarms<b id="drift-alarms">—</b></div>
</div>
<section><h2>Spend by model</h2><div id="by-model"></div></section>
<section><h2>Spend by tenant</h2><div id="by-tenant"></div></section>
<section><h2>Spend by route</h2><div id="by-route"></div></section>
<section><h2>Targets (since start)</h2><div id="targets"></div></section>
<section><h2>Circuit breakers</h2><div id="breakers"></div></section>
<section><h2>Panels (since start)</h2><div id="panels"></div></section>
<section><h2>Traffic drift</h2><div id="drift"></div></section>
</main>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
