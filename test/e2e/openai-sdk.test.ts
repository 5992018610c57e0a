import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.js';

describe('OpenAI SDK against the gateway (simulator upstream)', () => {
  let gw: TestGateway;
  let client: OpenAI;
  before(async () => {
    gw = await startTestGateway();
    client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  after(() => gw.close());

  test('non-streaming completion with decision headers and usage', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'auto', messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 32 })
      .withResponse();
    assert.equal(data.object, 'chat.completion');
    assert.equal(data.choices[0]?.message.role, 'assistant');
    assert.ok((data.choices[0]?.message.content ?? '').length > 0);
    assert.ok((data.usage?.prompt_tokens ?? 0) > 0);
    assert.equal(response.headers.get('x-switchyard-model'), 'small');
    assert.equal(response.headers.get('x-switchyard-route'), 'auto');
    assert.match(response.headers.get('x-switchyard-decision-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.match(response.headers.get('x-switchyard-cost-usd') ?? '', /^\d+\.\d{6}$/);
    assert.ok(Number(response.headers.get('x-switchyard-cost-usd')) > 0);
  });

  test('one structured log line per request, without the prompt', async () => {
    const secretPrompt = 'my-private-prompt-text-42';
    const { response } = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: secretPrompt }] }).withResponse();
    const requestId = response.headers.get('x-request-id');
    const lines = gw.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['requestId'] === requestId);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.['msg'], 'request');
    assert.equal(lines[0]?.['model'], 'small');
    assert.ok(!gw.logs.join('\n').includes(secretPrompt), 'prompt text never logged');
  });

  test('streaming with include_usage ends with a usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'auto', stream: true, stream_options: { include_usage: true }, max_tokens: 40,
      messages: [{ role: 'user', content: 'Count to five' }],
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.ok(text.length > 0);
    assert.ok(finish === 'stop' || finish === 'length');
    assert.ok((usage?.completion_tokens ?? 0) > 0, 'usage chunk present');
  });

  test('streaming without include_usage gets no usage chunk', async () => {
    const stream = await client.chat.completions.create({ model: 'auto', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
    for await (const chunk of stream) assert.equal(chunk.usage ?? undefined, undefined);
  });

  test('tools: the model answers with a tool call the SDK parses', async () => {
    const r = await client.chat.completions.create({
      model: 'auto',
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }],
    });
    const call = r.choices[0]?.message.tool_calls?.[0];
    assert.equal(r.choices[0]?.finish_reason, 'tool_calls');
    assert.ok(call && call.type === 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.equal(typeof JSON.parse(call.function.arguments), 'object');
  });

  test('response_format json_object returns valid JSON; n and stop are honoured', async () => {
    const r = await client.chat.completions.create({
      model: 'auto', response_format: { type: 'json_object' }, n: 2, stop: ['\n\n'], max_completion_tokens: 64,
      messages: [{ role: 'system', content: 'Answer in JSON.' }, { role: 'user', content: 'Give me a JSON object with a name' }],
    });
    assert.equal(r.choices.length, 2);
    for (const c of r.choices) JSON.parse(c.message.content ?? '');
  });

  test('multi-part content with an image goes to a vision-capable target', async () => {
    const { response } = await client.chat.completions
      .create({
        model: 'auto',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'What is in this image?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }],
      })
      .withResponse();
    assert.equal(response.headers.get('x-switchyard-model'), 'medium');
  });

  test('a client may name a catalog model directly', async () => {
    const { response } = await client.chat.completions.create({ model: 'large', messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
    assert.equal(response.headers.get('x-switchyard-model'), 'large');
  });

  test('models lists routes and models', async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    for (const id of ['auto', 'big-first', 'small', 'medium', 'large']) assert.ok(ids.includes(id), id);
  });

  test('models.retrieve answers one model, and a 404 NotFoundError for an unknown one', async () => {
    const m = await client.models.retrieve('small');
    assert.deepEqual({ id: m.id, object: m.object }, { id: 'small', object: 'model' });
    await assert.rejects(client.models.retrieve('nope'), (e: unknown) => e instanceof OpenAI.NotFoundError);
  });

  test('unknown model is a 404 the SDK raises as NotFoundError', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }), (e: unknown) => {
      assert.ok(e instanceof OpenAI.NotFoundError);
      assert.equal((e.error as { code?: string }).code, 'model_not_found');
      return true;
    });
  });
});
