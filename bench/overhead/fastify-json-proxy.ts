/**
 * The floor for a gateway built on Fastify: it parses the client's JSON body, builds a new upstream
 * body, calls the upstream with an undici pool, parses its JSON answer and sends it back through
 * Fastify's serializer. Framework and JSON, no routing, no ledger, no metrics: the gap between this
 * and the bare undici proxy is what Fastify and the two JSON round trips cost, the gap between this
 * and Switchyard is what Switchyard's own work costs.
 */
import Fastify from 'fastify';
import { Pool } from 'undici';

const [upstream = 'http://127.0.0.1:9090', portArg = '0'] = process.argv.slice(2);
const pool = new Pool(upstream, { connections: 128, pipelining: 1 });
const app = Fastify({ logger: false });

interface Body { model: string; messages: unknown[]; max_tokens?: number }

app.post('/v1/chat/completions', async (req) => {
  const { model, messages, max_tokens } = req.body as Body;
  const r = await pool.request({
    method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages, max_tokens }),
  });
  return r.body.json();
});
app.get('/v1/models', async () => ({ object: 'list', data: [] }));

const address = await app.listen({ port: Number(portArg), host: '127.0.0.1' });
console.log(`LISTENING ${new URL(address).port}`);
