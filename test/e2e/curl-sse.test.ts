import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.js';

const run = promisify(execFile);

/** Raw SSE as a plain HTTP client sees it: curl, no SDK smoothing anything over. */
describe('raw SSE with curl', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.close());

  const curl = async (body: object, path = '/v1/chat/completions'): Promise<{ headers: string; events: string[] }> => {
    const { stdout } = await run('curl', ['-sS', '-N', '-i', '-H', 'content-type: application/json', '-d', JSON.stringify(body), `${gw.url}${path}`]);
    const [headers = '', rest = ''] = stdout.split('\r\n\r\n');
    return { headers, events: rest.split('\n\n').map((e) => e.trim()).filter(Boolean) };
  };

  test('OpenAI stream: event-stream, data frames, usage, [DONE]', async () => {
    const { headers, events } = await curl({ model: 'auto', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Count to five' }] });
    assert.match(headers, /content-type: text\/event-stream/i);
    assert.match(headers, /x-switchyard-model: small/i);
    assert.ok(events.every((e) => e.startsWith('data: ')));
    assert.equal(events.at(-1), 'data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)) as { object: string; choices: unknown[]; usage?: { total_tokens: number } });
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk'));
    const last = chunks.at(-1);
    assert.deepEqual(last?.choices, []);
    assert.ok((last?.usage?.total_tokens ?? 0) > 0);
  });

  test('a stream cut upstream after the first byte ends with an error event and no [DONE]', async () => {
    gw.simulators[0]!.setFaults('small', { failNext: ['cut'] });
    const { events } = await curl({ model: 'auto', stream: true, max_tokens: 200, messages: [{ role: 'user', content: 'Write a long story' }] });
    const last = events.at(-1) ?? '';
    assert.notEqual(last, 'data: [DONE]');
    const err = JSON.parse(last.slice(6)) as { error: { code: string } };
    assert.equal(err.error.code, 'upstream_stream_cut');
  });

  test('Anthropic stream: named events from message_start to message_stop', async () => {
    const { events } = await curl({ model: 'auto', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'Hi' }] }, '/v1/messages');
    const names = events.map((e) => /^event: (\w+)/.exec(e)?.[1]);
    assert.equal(names[0], 'message_start');
    assert.equal(names.at(-1), 'message_stop');
    assert.ok(names.includes('content_block_delta'));
    assert.ok(names.includes('message_delta'));
  });
});
