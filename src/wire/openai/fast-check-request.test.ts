import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wireChatRequestSchema } from './chat-request-schema.js';
import { fastCheckChatRequest } from './fast-check-request.js';

const user = (content: unknown) => ({ role: 'user', content });
const base = { model: 'm', messages: [user('hi')] };

/** Values a client might send for any field: good ones, wrong types, out of range, edge cases. */
const VALUES: unknown[] = [
  undefined, null, true, false, 0, 1, -1, 0.5, 1.5, 2, 2.5, -2.5, 3, 16, 17, 20, 21, 1e6, 1e6 + 1, 2 ** 53, -(2 ** 53),
  '', 'x', 'END', [], ['a'], ['a', 'b', 'c', 'd', 'e'], [1], {}, { include_usage: true }, { type: 'text' },
];
const TOP_KEYS = [
  'model', 'messages', 'stream', 'stream_options', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'n', 'stop', 'seed',
  'presence_penalty', 'frequency_penalty', 'tools', 'tool_choice', 'parallel_tool_calls', 'response_format', 'reasoning_effort', 'user',
  'logprobs', 'top_logprobs', 'metadata', 'constructor', '__proto__',
];
const MESSAGE_KEYS = ['role', 'content', 'name', 'tool_calls', 'tool_call_id', 'refusal', 'extra'];
const ROLE_VALUES: unknown[] = ['system', 'developer', 'user', 'assistant', 'tool', 'robot', '', 1, null];

const bodies = (): unknown[] => {
  const out: unknown[] = [base, { ...base, messages: [] }, { ...base, messages: 'hi' }, { messages: [user('hi')] }, { ...base, model: '' }];
  for (const key of TOP_KEYS) for (const v of VALUES) out.push(JSON.parse(JSON.stringify({ ...base, [key]: v }) ?? '{}'));
  for (const key of MESSAGE_KEYS) for (const v of [...VALUES, ...ROLE_VALUES]) out.push({ ...base, messages: [{ ...user('hi'), [key]: v }] });
  for (const role of ROLE_VALUES) for (const content of [undefined, null, 'hi', [{ type: 'text', text: 'hi' }], 3]) out.push({ ...base, messages: [{ role, content }] });
  out.push({ ...base, messages: [user('a'), 'not a message'] }, { ...base, messages: [user('a'), null] });
  return out;
};

test('the fast path never accepts a body the schema rejects, and returns what the schema accepts', () => {
  let fast = 0;
  for (const body of bodies()) {
    if (typeof body !== 'object' || body === null) continue;
    const quick = fastCheckChatRequest(body as Record<string, unknown>);
    if (quick === undefined) continue;
    fast += 1;
    const parsed = wireChatRequestSchema.safeParse(body);
    assert.ok(parsed.success, `fast path accepted what the schema rejects: ${JSON.stringify(body)}`);
  }
  assert.ok(fast > 100, `the fast path took only ${fast} bodies`);
});

test('the common request takes the fast path; tools, response_format and content parts go to the schema', () => {
  assert.ok(fastCheckChatRequest({ ...base, max_tokens: 16, temperature: 0.2, stream: true }));
  assert.equal(fastCheckChatRequest({ ...base, response_format: { type: 'json_object' } }), undefined);
  assert.equal(fastCheckChatRequest({ ...base, tools: [] }), undefined);
  assert.equal(fastCheckChatRequest({ ...base, messages: [user([{ type: 'text', text: 'hi' }])] }), undefined);
  assert.equal(fastCheckChatRequest({ ...base, max_tokens: 0 }), undefined);
});
