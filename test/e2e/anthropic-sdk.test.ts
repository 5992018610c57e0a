import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.js';

describe('Anthropic SDK against the gateway (/v1/messages)', () => {
  let gw: TestGateway;
  let client: Anthropic;
  before(async () => {
    gw = await startTestGateway();
    client = new Anthropic({ baseURL: gw.url, apiKey: 'unused', maxRetries: 0 });
  });
  after(() => gw.close());

  test('non-streaming message', async () => {
    const { data, response } = await client.messages
      .create({ model: 'auto', max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user', content: 'Say hello' }] })
      .withResponse();
    assert.equal(data.type, 'message');
    assert.equal(data.role, 'assistant');
    const block = data.content[0];
    assert.ok(block && block.type === 'text' && block.text.length > 0);
    assert.ok(data.usage.input_tokens > 0 && data.usage.output_tokens > 0);
    assert.ok(['end_turn', 'max_tokens', 'stop_sequence'].includes(data.stop_reason ?? ''));
    assert.equal(response.headers.get('x-switchyard-model'), 'small');
  });

  test('streaming message with the SDK helper', async () => {
    const stream = client.messages.stream({ model: 'auto', max_tokens: 64, messages: [{ role: 'user', content: 'Count to five' }] });
    let text = '';
    stream.on('text', (t) => (text += t));
    const final = await stream.finalMessage();
    assert.ok(text.length > 0);
    assert.ok(final.usage.output_tokens > 0, 'final usage arrives in message_delta');
  });

  test('tool use round-trips', async () => {
    const msg = await client.messages.create({
      model: 'auto', max_tokens: 128,
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    assert.equal(msg.stop_reason, 'tool_use');
    const use = msg.content.find((b) => b.type === 'tool_use');
    assert.ok(use && use.type === 'tool_use' && use.name === 'get_weather');
  });

  test('errors come in the Anthropic shape the SDK understands', async () => {
    await assert.rejects(client.messages.create({ model: 'nope', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), (e: unknown) => {
      assert.ok(e instanceof Anthropic.NotFoundError);
      return true;
    });
    const r = await fetch(`${gw.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'auto', messages: [] }) });
    assert.equal(r.status, 400);
    const body = (await r.json()) as { type: string; error: { type: string; message: string } };
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'invalid_request_error');
  });
});
