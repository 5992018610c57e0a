import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import { MAX_CHOICES, MAX_MESSAGES } from './chat-request-schema.js';
import { parseChatRequest } from './parse-chat-request.js';
import { toWireRequest } from './to-wire-request.js';

const user = (content: unknown) => ({ role: 'user', content });

const rejects = (body: unknown, param: string | undefined, message: RegExp): void => {
  assert.throws(
    () => parseChatRequest(body),
    (err: unknown) => {
      assert.ok(err instanceof GatewayError, String(err));
      assert.equal(err.code, 'invalid_request');
      assert.equal(err.status, 400);
      assert.equal(err.param, param);
      assert.match(err.message, message);
      return true;
    },
  );
};

test('a minimal request becomes canonical with defaults', () => {
  const req = parseChatRequest({ model: 'm', messages: [user('hi')] });
  assert.deepEqual(req, { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: false, includeUsage: false });
});

test('snake_case settings map to camelCase; max_completion_tokens wins over max_tokens', () => {
  const req = parseChatRequest({
    model: 'm',
    messages: [user('hi')],
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: 10,
    max_completion_tokens: 20,
    stop: 'END',
    n: 2,
    temperature: 0.5,
    top_p: 0.9,
    seed: 7,
    presence_penalty: 1,
    frequency_penalty: -1,
    reasoning_effort: 'low',
    user: 'u1',
    logprobs: true,
    top_logprobs: 3,
    parallel_tool_calls: false,
    response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } },
  });
  assert.equal(req.stream, true);
  assert.equal(req.includeUsage, true);
  assert.equal(req.maxTokens, 20);
  assert.deepEqual(req.stop, ['END']);
  assert.equal(req.n, 2);
  assert.equal(req.topP, 0.9);
  assert.equal(req.presencePenalty, 1);
  assert.equal(req.frequencyPenalty, -1);
  assert.equal(req.reasoningEffort, 'low');
  assert.equal(req.topLogprobs, 3);
  assert.equal(req.parallelToolCalls, false);
  assert.deepEqual(req.responseFormat, { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } });
  assert.equal(req.extra, undefined);
});

test('max_tokens alone is used; include_usage without stream is ignored; nulls mean unset', () => {
  const req = parseChatRequest({ model: 'm', messages: [user('hi')], max_tokens: 5, stream_options: { include_usage: true }, temperature: null, stop: null });
  assert.equal(req.maxTokens, 5);
  assert.equal(req.includeUsage, false);
  assert.equal('temperature' in req, false);
  assert.equal('stop' in req, false);
});

test('unknown top-level params go to extra and are forwarded by toWireRequest, never overriding ours', () => {
  const req = parseChatRequest({ model: 'm', messages: [user('hi')], metadata: { a: 1 }, service_tier: 'flex' });
  assert.deepEqual(req.extra, { metadata: { a: 1 }, service_tier: 'flex' });
  const wire = toWireRequest({ ...req, extra: { ...req.extra, model: 'evil' } }, 'upstream-m');
  assert.equal(wire.model, 'upstream-m');
  assert.equal(wire.service_tier, 'flex');
});

test('tools, tool_choice, assistant tool_calls and tool results round-trip', () => {
  const body = {
    model: 'm',
    messages: [
      user('weather?'),
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'w', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: '18C' },
    ],
    tools: [{ type: 'function', function: { name: 'w', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    tool_choice: { type: 'function', function: { name: 'w' } },
  };
  const req = parseChatRequest(body);
  assert.equal(req.messages[1]?.toolCalls?.[0]?.function.name, 'w');
  assert.equal(req.messages[2]?.toolCallId, 'c1');
  const wire = toWireRequest(req, 'up', { maxTokensField: 'max_tokens' });
  assert.deepEqual(wire.messages, body.messages);
  assert.deepEqual(wire.tools, body.tools);
  assert.deepEqual(wire.tool_choice, body.tool_choice);
});

test('multi-part content passes image_url and unknown parts through; cache_control is kept canonically but not sent to OpenAI', () => {
  const parts = [
    { type: 'text', text: 'look', cache_control: { type: 'ephemeral' } },
    { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'low' } },
    { type: 'input_audio', input_audio: { data: 'AAA', format: 'wav' } },
  ];
  const req = parseChatRequest({ model: 'm', messages: [user(parts)] });
  assert.deepEqual(req.messages[0]?.content, parts);
  const wire = toWireRequest(req, 'up') as { messages: Array<{ content: unknown[] }> };
  assert.deepEqual(wire.messages[0]?.content[0], { type: 'text', text: 'look' });
  assert.deepEqual(wire.messages[0]?.content[1], parts[1]);
});

test('stream requests always ask the upstream for usage', () => {
  const wire = toWireRequest(parseChatRequest({ model: 'm', messages: [user('x')], stream: true, max_tokens: 3 }), 'up');
  assert.deepEqual(wire.stream_options, { include_usage: true });
  assert.equal(wire.max_completion_tokens, 3);
  assert.equal('max_tokens' in wire, false);
});

test('bad input names the field at fault', () => {
  rejects('nope', undefined, /JSON object/);
  rejects({ messages: [user('x')] }, 'model', /model: expected a model name/);
  rejects({ model: 'm', messages: [] }, 'messages', /at least one message/);
  rejects({ model: 'm', messages: [user('a'), user('b'), { role: 'robot', content: 'x' }] }, 'messages[2].role', /messages\[2\]\.role: expected one of system, developer, user, assistant, tool/);
  rejects({ model: 'm', messages: [user(42)] }, 'messages[0].content', /expected a string, an array of content parts or null/);
  rejects({ model: 'm', messages: [user([{ type: 'text' }])] }, 'messages[0].content[0].text', /expected a string/);
  rejects({ model: 'm', messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id', /required/);
  rejects({ model: 'm', messages: [{ role: 'user', content: null }] }, 'messages[0].content', /required/);
  rejects({ model: 'm', messages: [user('x')], temperature: 3 }, 'temperature', /temperature/);
  rejects({ model: 'm', messages: [user('x')], n: MAX_CHOICES + 1 }, 'n', /n:/);
  rejects({ model: 'm', messages: [user('x')], stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop', /at most 4/);
  rejects({ model: 'm', messages: [user('x')], response_format: { type: 'yaml' } }, 'response_format.type', /json_object/);
  rejects({ model: 'm', messages: [user('x')], tool_choice: 'required' }, 'tool_choice', /requires tools/);
  rejects({ model: 'm', messages: [user('x')], max_tokens: 0 }, 'max_tokens', /max_tokens/);
  const tooMany = Array.from({ length: MAX_MESSAGES + 1 }, () => user('x'));
  rejects({ model: 'm', messages: tooMany }, 'messages', /at most 10000/);
});
