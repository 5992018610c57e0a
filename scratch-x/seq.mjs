import { Pool } from 'undici';
const [url, n = '1000', conns = '1'] = process.argv.slice(2);
const u = new URL(url);
const pool = new Pool(u.origin, { connections: Number(conns) });
const body = JSON.stringify({ model: process.env.MODEL ?? 'auto', max_tokens: 16, messages: [{ role: 'user', content: 'Say hello in one word.' }] });
let left = Number(n);
const worker = async () => { while (left-- > 0) { const r = await pool.request({ method: 'POST', path: u.pathname, body, headers: { 'content-type': 'application/json' } }); await r.body.arrayBuffer(); if (r.statusCode !== 200) throw new Error(`status ${r.statusCode}`); } };
await Promise.all(Array.from({ length: Number(conns) }, worker));
await pool.close();
