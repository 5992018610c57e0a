import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import { parseMessagesRequest } from './parse-messages-request.js';
import { toMessagesRequest } from './to-messages-request.js';

const body = {
  model: 'claude-x',
  max_tokens: 256,
  system: [
    { type: 'text', text: 'You are terse.' },
    { type: 'text', text: 'Long shared context', cache_control: { type: 'ephemeral' } },
  ],
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'weather in Paris?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }] },
    { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '18C', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'thanks' }] },
  ],
  tools: [{ name: 'weather', description: 'get weather', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, cache_control: { type: 'ephemeral' } }],
  tool_choice: { type: 'any', disable_parallel_tool_use: true },
  stop_sequences: ['END'],
  temperature: 0.3,
  metadata: { user_id: 'u1' },
  top_k: 5,
  stream: true,
};

test('an Anthropic request becomes canonical, keeping cache_control markers', () => {
  const req = parseMessagesRequest(body);
  assert.equal(req.stream, true);
  assert.equal(req.includeUsage, true);
  assert.equal(req.maxTokens, 256);
  assert.deepEqual(req.stop, ['END']);
  assert.equal(req.user, 'u1');
  assert.equal(req.toolChoice, 'required');
  assert.equal(req.parallelToolCalls, false);
  assert.deepEqual(req.extra, { top_k: 5 });
  assert.equal(req.tools?.[0]?.cache_control?.type, 'ephemeral');
  const [system, user, assistant, tool, user2] = req.messages;
  assert.deepEqual(system, { role: 'system', content: [{ type: 'text', text: 'You are terse.' }, { type: 'text', text: 'Long shared context', cache_control: { type: 'ephemeral' } }] });
  assert.deepEqual(user?.content, [{ type: 'text', text: 'weather in Paris?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }]);
  assert.deepEqual(assistant, { role: 'assistant', content: 'Checking.', toolCalls: [{ id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] });
  assert.deepEqual(tool, { role: 'tool', toolCallId: 'toolu_1', content: [{ type: 'text', text: '18C', cache_control: { type: 'ephemeral' } }] });
  assert.deepEqual(user2, { role: 'user', content: [{ type: 'text', text: 'thanks' }] });
});

test('canonical → Anthropic restores the original request', () => {
  const wire = toMessagesRequest(parseMessagesRequest(body), 'claude-upstream');
  assert.equal(wire.model, 'claude-upstream');
  assert.deepEqual(wire.system, body.system);
  assert.deepEqual(wire.tools, body.tools);
  assert.deepEqual(wire.tool_choice, body.tool_choice);
  assert.deepEqual(wire.stop_sequences, ['END']);
  assert.deepEqual(wire.metadata, { user_id: 'u1' });
  assert.equal(wire.top_k, 5);
  const messages = wire.messages as Array<{ role: string; content: unknown }>;
  assert.deepEqual(messages[0], body.messages[0]);
  assert.deepEqual(messages[1], body.messages[1]);
  // The tool result and the user's text are two user turns, which Anthropic merges.
  assert.deepEqual(messages[2], { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '18C', cache_control: { type: 'ephemeral' } }] }] });
  assert.deepEqual(messages[3], { role: 'user', content: [{ type: 'text', text: 'thanks' }] });
});

test('OpenAI-style canonical requests translate to Anthropic', () => {
  const wire = toMessagesRequest(
    {
      model: 'x',
      stream: false,
      includeUsage: false,
      temperature: 1.7,
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'developer', content: 'dev' },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
        { role: 'assistant', content: null, toolCalls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }, { id: 'b', type: 'function', function: { name: 'f', arguments: 'not json' } }] },
        { role: 'tool', toolCallId: 'a', content: 'ra' },
        { role: 'tool', toolCallId: 'b', content: 'rb' },
      ],
      toolChoice: 'auto',
      extra: { store: true, top_k: 3 },
    },
    'claude',
  );
  assert.equal(wire.max_tokens, 4096);
  assert.equal(wire.temperature, 1);
  assert.equal(wire.system, 'sys\n\ndev');
  assert.equal('store' in wire, false, 'OpenAI-only extras are not forwarded');
  assert.equal(wire.top_k, 3);
  assert.deepEqual(wire.tool_choice, { type: 'auto' });
  const messages = wire.messages as Array<{ role: string; content: unknown }>;
  assert.deepEqual(messages[0]?.content, [{ type: 'image', source: { type: 'url', url: 'https://x/y.png' } }]);
  assert.deepEqual(messages[1]?.content, [
    { type: 'tool_use', id: 'a', name: 'f', input: { x: 1 } },
    { type: 'tool_use', id: 'b', name: 'f', input: {} },
  ]);
  assert.deepEqual(messages[2], { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: 'ra' }, { type: 'tool_result', tool_use_id: 'b', content: 'rb' }] });
  assert.equal(messages.length, 3);
});

test('bad Anthropic input names the field at fault', () => {
  const cases: Array<[unknown, string, RegExp]> = [
    [{ model: 'm', messages: [{ role: 'user', content: 'x' }] }, 'max_tokens', /max_tokens: expected an integer from 1 to 1000000/],
    [{ model: 'm', max_tokens: 100_000_000, messages: [{ role: 'user', content: 'x' }] }, 'max_tokens', /max_tokens: expected an integer from 1 to 1000000/],
    [{ model: 'm', max_tokens: 5, messages: [{ role: 'system', content: 'x' }] }, 'messages[0].role', /expected one of user, assistant/],
    [{ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file' } }] }] }, 'messages[0].content[0].source', /image source/],
    [{ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'tool_result' }] }] }, 'messages[0].content[0].tool_use_id', /required/],
    [{ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }], tool_choice: { type: 'sometimes' } }, 'tool_choice.type', /auto, any, tool or none/],
  ];
  for (const [input, param, message] of cases) {
    assert.throws(
      () => parseMessagesRequest(input),
      (err: unknown) => err instanceof GatewayError && err.param === param && message.test(err.message),
      param,
    );
  }
});
