import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderError } from '../../errors/provider-error.js';
import type { ChatChunk, ChatResponse } from '../../spec/chat.js';
import { fromWireChunk, fromWireResponse } from './from-wire-response.js';
import { toWireChunk, toWireResponse } from './to-wire-response.js';

const openaiResponse = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1700000000,
  model: 'gpt-4o-mini',
  system_fingerprint: 'fp_1',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'w', arguments: '{"city":"Paris"}' } }],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
  usage: {
    prompt_tokens: 100,
    completion_tokens: 20,
    total_tokens: 120,
    prompt_tokens_details: { cached_tokens: 64, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 5, audio_tokens: 0 },
  },
};

test('an OpenAI response becomes canonical with cached and reasoning tokens', () => {
  const res = fromWireResponse(openaiResponse);
  assert.equal(res.choices[0]?.finishReason, 'tool_calls');
  assert.equal(res.choices[0]?.message.toolCalls?.[0]?.function.arguments, '{"city":"Paris"}');
  assert.deepEqual(res.usage, { inputTokens: 100, outputTokens: 20, cachedInputTokens: 64, cacheWriteTokens: 0, reasoningTokens: 5 });
  assert.equal(res.systemFingerprint, 'fp_1');
});

test('toWireResponse is the inverse of fromWireResponse for the fields OpenAI defines', () => {
  const wire = toWireResponse(fromWireResponse(openaiResponse)) as typeof openaiResponse;
  assert.equal(wire.object, 'chat.completion');
  assert.deepEqual(wire.choices, openaiResponse.choices);
  assert.equal(wire.usage.total_tokens, 120);
  assert.equal(wire.usage.prompt_tokens_details.cached_tokens, 64);
  assert.equal(wire.usage.completion_tokens_details.reasoning_tokens, 5);
});

test('garbage from upstream is upstream_invalid_response', () => {
  for (const bad of [null, 'x', {}, { choices: 'no' }, { choices: [{ message: 3 }] }, { choices: [{ message: { content: 5 } }] }]) {
    assert.throws(
      () => fromWireResponse(bad, 'p1'),
      (err: unknown) => err instanceof ProviderError && err.code === 'upstream_invalid_response' && err.provider === 'p1',
    );
  }
  assert.throws(() => fromWireChunk([1]), ProviderError);
  assert.throws(() => fromWireChunk({ choices: {} }), ProviderError);
});

test('unknown finish reasons from compatible servers count as stop', () => {
  const res = fromWireResponse({ choices: [{ message: { content: 'x' }, finish_reason: 'eos' }] });
  assert.equal(res.choices[0]?.finishReason, 'stop');
  assert.equal(res.choices[0]?.message.role, 'assistant');
});

test('stream chunks: role, content, tool call deltas and the final usage chunk', () => {
  const first = fromWireChunk({
    id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm',
    choices: [{ index: 0, delta: { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'w', arguments: '' } }] }, logprobs: null, finish_reason: null }],
    usage: null,
  });
  assert.equal(first.choices[0]?.delta.role, 'assistant');
  assert.deepEqual(first.choices[0]?.delta.toolCalls, [{ index: 0, id: 'call_1', type: 'function', function: { name: 'w', arguments: '' } }]);
  assert.equal(first.usage, undefined);
  const args = fromWireChunk({ id: 'c', created: 1, model: 'm', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }, finish_reason: null }] });
  assert.deepEqual(args.choices[0]?.delta.toolCalls, [{ index: 0, function: { arguments: '{"ci' } }]);
  const usage = fromWireChunk({ id: 'c', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } });
  assert.deepEqual(usage.choices, []);
  assert.equal(usage.usage?.outputTokens, 4);
  assert.equal(usage.usage?.cachedInputTokens, 0);
});

test('toWireChunk produces OpenAI chunk objects', () => {
  const chunk: ChatChunk = { id: 'c', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'hi' }, finishReason: null }] };
  assert.deepEqual(toWireChunk(chunk), {
    id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm',
    choices: [{ index: 0, delta: { content: 'hi' }, logprobs: null, finish_reason: null }],
  });
  const final = toWireChunk({ id: 'c', created: 1, model: 'm', choices: [], usage: { inputTokens: 1, outputTokens: 2, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } });
  assert.deepEqual(final.choices, []);
  assert.deepEqual(final.usage, { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } });
  const res: ChatResponse = { id: 'r', created: 2, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finishReason: 'stop' }] };
  assert.deepEqual(toWireResponse(res), {
    id: 'r', object: 'chat.completion', created: 2, model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: 'ok', refusal: null }, logprobs: null, finish_reason: 'stop' }],
  });
});
