import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderError } from '../../errors/provider-error.js';
import type { ChatChunk, Usage } from '../../spec/chat.js';
import { toAnthropicErrorBody } from './anthropic-error-body.js';
import { createAnthropicStreamDecoder } from './create-anthropic-stream-decoder.js';
import { createAnthropicStreamEncoder } from './create-anthropic-stream-encoder.js';
import { fromMessagesResponse } from './from-messages-response.js';
import { toMessagesResponse } from './to-messages-response.js';

const anthropicMessage = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-x',
  content: [
    { type: 'thinking', thinking: 'hmm', signature: 's' },
    { type: 'text', text: 'Let me check.' },
    { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 30, cache_read_input_tokens: 100, cache_creation_input_tokens: 50, output_tokens_details: { thinking_tokens: 12 } },
};

test('Anthropic usage: input excludes cache reads/writes, canonical input includes them', () => {
  const res = fromMessagesResponse(anthropicMessage, 'anthropic', 1234);
  assert.deepEqual(res.usage, { inputTokens: 160, outputTokens: 30, cachedInputTokens: 100, cacheWriteTokens: 50, reasoningTokens: 12 });
  assert.equal(res.created, 1234);
  assert.equal(res.choices[0]?.finishReason, 'tool_calls');
  assert.equal(res.choices[0]?.message.content, 'Let me check.');
  assert.deepEqual(res.choices[0]?.message.toolCalls, [{ id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }]);
  const back = toMessagesResponse(res);
  assert.deepEqual(back.usage, { input_tokens: 10, output_tokens: 30, cache_read_input_tokens: 100, cache_creation_input_tokens: 50 });
  assert.deepEqual(back.content, anthropicMessage.content.slice(1));
  assert.equal(back.stop_reason, 'tool_use');
  assert.equal(back.type, 'message');
});

test('stop reasons map both ways', () => {
  const reason = (stop_reason: string) => fromMessagesResponse({ ...anthropicMessage, stop_reason }).choices[0]?.finishReason;
  assert.equal(reason('end_turn'), 'stop');
  assert.equal(reason('stop_sequence'), 'stop');
  assert.equal(reason('max_tokens'), 'length');
  assert.equal(reason('refusal'), 'content_filter');
});

test('garbage is upstream_invalid_response', () => {
  for (const bad of [null, [], { content: 'x' }, { content: [1] }, { content: [{ type: 'tool_use' }] }]) {
    assert.throws(() => fromMessagesResponse(bad), (e: unknown) => e instanceof ProviderError && e.code === 'upstream_invalid_response');
  }
});

const parseSse = (text: string): Array<{ event: string; data: Record<string, unknown> }> =>
  text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return { event: eventLine!.slice('event: '.length), data: JSON.parse(dataLine!.slice('data: '.length)) as Record<string, unknown> };
    });

test('the encoder emits the Anthropic event sequence and the decoder reads it back', () => {
  const base = { id: 'msg_9', created: 1, model: 'm' };
  const usage: Usage = { inputTokens: 100, outputTokens: 7, cachedInputTokens: 60, cacheWriteTokens: 0, reasoningTokens: 0 };
  const chunks: ChatChunk[] = [
    { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finishReason: null }] },
    { ...base, choices: [{ index: 0, delta: { content: 'Hel' }, finishReason: null }] },
    { ...base, choices: [{ index: 0, delta: { content: 'lo' }, finishReason: null }] },
    { ...base, choices: [{ index: 0, delta: { toolCalls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }] }, finishReason: null }] },
    { ...base, choices: [{ index: 0, delta: { toolCalls: [{ index: 0, function: { arguments: '{"a":' } }] }, finishReason: null }] },
    { ...base, choices: [{ index: 0, delta: { toolCalls: [{ index: 0, function: { arguments: '1}' } }] }, finishReason: null }] },
    { ...base, choices: [{ index: 0, delta: {}, finishReason: 'tool_calls' }] },
    { ...base, choices: [], usage },
  ];
  const encoder = createAnthropicStreamEncoder();
  const sse = chunks.map((c) => encoder.encode(c)).join('') + encoder.finish();
  const events = parseSse(sse);
  assert.deepEqual(events.map((e) => e.event), [
    'message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop',
    'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop',
  ]);
  assert.deepEqual(events[9]?.data, { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { input_tokens: 40, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 60 } });
  const decoder = createAnthropicStreamDecoder(1);
  const decoded = events.map((e) => decoder.decode(e.data)).filter((c): c is ChatChunk => c !== undefined);
  assert.equal(decoder.finished, true);
  assert.equal(decoded.map((c) => c.choices[0]?.delta.content ?? '').join(''), 'Hello');
  const args = decoded.flatMap((c) => c.choices[0]?.delta.toolCalls ?? []).map((d) => d.function?.arguments ?? '').join('');
  assert.equal(args, '{"a":1}');
  assert.equal(decoded.at(-2)?.choices[0]?.finishReason, 'tool_calls');
  assert.deepEqual(decoded.at(-1)?.usage, usage);
  assert.deepEqual(decoded.at(-1)?.choices, []);
});

test('the decoder reads a real Anthropic stream with split usage', () => {
  const decoder = createAnthropicStreamDecoder(5);
  const events = [
    { type: 'message_start', message: { id: 'msg_1', model: 'claude', usage: { input_tokens: 25, output_tokens: 1, cache_read_input_tokens: 10, cache_creation_input_tokens: 0 } } },
    { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'x' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 't1', name: 'f', input: {} } },
    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{}' } },
    { type: 'ping' },
    { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 15 } },
  ];
  const out = events.map((e) => decoder.decode(e));
  assert.equal(decoder.finished, false);
  assert.equal(out[0]?.id, 'msg_1');
  assert.deepEqual(out[4]?.choices[0]?.delta.toolCalls, [{ index: 0, id: 't1', type: 'function', function: { name: 'f', arguments: '' } }]);
  const final = decoder.decode({ type: 'message_stop' });
  assert.equal(decoder.finished, true);
  assert.deepEqual(final?.usage, { inputTokens: 35, outputTokens: 15, cachedInputTokens: 10, cacheWriteTokens: 0, reasoningTokens: 0 });
});

test('error bodies use Anthropic error types', () => {
  assert.deepEqual(toAnthropicErrorBody('upstream_overloaded', 'busy'), { type: 'error', error: { type: 'overloaded_error', message: 'busy' } });
  assert.equal(toAnthropicErrorBody('invalid_request', 'x').error.type, 'invalid_request_error');
  assert.equal(toAnthropicErrorBody('upstream_rate_limited', 'x').error.type, 'rate_limit_error');
  assert.equal(toAnthropicErrorBody('internal_error', 'x').error.type, 'api_error');
  // Anthropic names these by status where OpenAI says invalid_request_error.
  assert.equal(toAnthropicErrorBody('model_not_found', 'x').error.type, 'not_found_error');
  assert.equal(toAnthropicErrorBody('body_too_large', 'x').error.type, 'request_too_large');
});
