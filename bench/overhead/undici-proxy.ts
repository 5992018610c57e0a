/**
 * The floor for any gateway: a bare HTTP proxy that forwards the body to the upstream with an
 * undici pool and pipes the answer back. No parsing, no routing, no ledger.
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';

const [upstream = 'http://127.0.0.1:9090', portArg = '0'] = process.argv.slice(2);
const pool = new Pool(upstream, { connections: 128, pipelining: 1 });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    pool
      .request({ method: 'POST', path: req.url ?? '/', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) })
      .then(async (r) => {
        res.writeHead(r.statusCode, { 'content-type': String(r.headers['content-type'] ?? 'application/json') });
        for await (const c of r.body) res.write(c);
        res.end();
      })
      .catch(() => {
        res.writeHead(502).end();
      });
  });
});
server.listen(Number(portArg), '127.0.0.1', () => {
  const a = server.address();
  console.log(`LISTENING ${typeof a === 'object' && a ? a.port : portArg}`);
});
