/**
 * The zero-latency mock upstream every contender in bench/overhead talks to: a bare node:http
 * server answering every chat completion with the same realistic OpenAI body. It does no work
 * per request beyond draining the body, so the numbers measure the gateways, not the mock.
 * (The full provider simulator is heavier: it tokenises and builds answers per request.)
 */
import { createServer } from 'node:http';

const [portArg = '0'] = process.argv.slice(2);
const BODY = Buffer.from(JSON.stringify({
  id: 'chatcmpl-bench', object: 'chat.completion', created: 1_700_000_000, model: 'gpt-3.5-turbo-1106', system_fingerprint: 'fp_bench',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help you today?', refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 14, completion_tokens: 9, total_tokens: 23, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
}));
const MODELS = Buffer.from(JSON.stringify({ object: 'list', data: [{ id: 'gpt-3.5-turbo-1106', object: 'model', created: 0, owned_by: 'bench' }] }));

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const body = req.method === 'GET' ? MODELS : BODY;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(portArg), '127.0.0.1');
