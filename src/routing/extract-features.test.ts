import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countTokens } from 'gpt-tokenizer';
import type { ChatRequest } from '../spec/chat.js';
import { extractFeatures } from './extract-features.js';

const req = (content: ChatRequest['messages'][number]['content'], extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'auto', stream: false, includeUsage: false, messages: [{ role: 'user', content }], ...extra,
});

test('task types are detected from the last user message', () => {
  const cases: Array<[string, string]> = [
    ['Translate this sentence into French: good morning', 'translation'],
    ['Write a python function to reverse a linked list', 'code'],
    ['Solve for x: 3x + 5 = 20', 'math'],
    ['Classify the following ticket into billing, bug or other', 'classification'],
    ['Summarize this article in two sentences', 'summarization'],
    ['Write a poem about autumn', 'writing'],
    ['What is the capital of Australia?', 'qa'],
    ['hello there', 'chat'],
  ];
  for (const [text, task] of cases) assert.equal(extractFeatures(req(text)).taskType, task, text);
});

test('markers, modalities and sizes', () => {
  const f = extractFeatures(req([{ type: 'text', text: 'Explain step by step why the sum of 2 + 2 = 4 is true' }, { type: 'image_url', image_url: { url: 'data:,' } }], {
    maxTokens: 100, responseFormat: { type: 'json_object' }, tools: [{ type: 'function', function: { name: 'f' } }],
  }));
  assert.equal(f.hasImages, true);
  assert.equal(f.hasTools, true);
  assert.equal(f.jsonMode, true);
  assert.equal(f.hasReasoningKeywords, true);
  assert.equal(f.hasMath, true);
  assert.equal(f.requestedMaxTokens, 100);
  assert.ok(f.inputTokens > 5 && f.inputTokens < 40);
  assert.equal(f.depth, 1);
  assert.equal(f.language, 'en');
});

test('hashed n-grams are sorted, unique and l2-normalised', () => {
  const f = extractFeatures(req('the cat sat on the mat the cat'));
  const idx = Array.from(f.hashedNgrams);
  assert.deepEqual(idx, [...new Set(idx)].sort((a, b) => a - b));
  const norm = Math.sqrt(Array.from(f.hashedValues).reduce((a, v) => a + v * v, 0));
  assert.ok(Math.abs(norm - 1) < 1e-5);
});

test('long prompts are counted approximately but close, and odd content never throws', () => {
  const long = 'word '.repeat(20_000);
  const f = extractFeatures(req(long));
  assert.ok(Math.abs(f.inputTokens - 20_000) / 20_000 < 0.1, String(f.inputTokens));
  for (const content of [null, '', [], [{ type: 'input_audio', input_audio: {} }]] as ChatRequest['messages'][number]['content'][]) {
    const g = extractFeatures(req(content));
    assert.equal(g.taskType, 'chat');
  }
});

/** The definition of the input-token feature, computed the slow way. */
const definition = (texts: string[]): number => {
  const joined = texts.map((t) => `${t}\n`).join('');
  const exact = countTokens(joined.slice(0, 400));
  return (joined.length <= 400 ? exact : Math.ceil((exact * joined.length) / 400)) + 4 * texts.length;
};

test('input tokens: exact BPE of the first 400 characters of the messages joined, extrapolated by length', () => {
  const conversation = (...contents: ChatRequest['messages'][number]['content'][]): ChatRequest => ({
    model: 'auto', stream: false, includeUsage: false, messages: contents.map((content, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content })),
  });
  const cases: Array<[ChatRequest, string[]]> = [
    [conversation('hi'), ['hi']],
    [conversation('a'.repeat(399)), ['a'.repeat(399)]],
    [conversation('a'.repeat(400)), ['a'.repeat(400)]],
    [conversation('Why is the sky blue? '.repeat(10), 'Because of scattering. '.repeat(30), 'And sunsets?'), ['Why is the sky blue? '.repeat(10), 'Because of scattering. '.repeat(30), 'And sunsets?']],
    [conversation([{ type: 'text', text: 'Describe ' }, { type: 'image_url', image_url: { url: 'data:,' } }, { type: 'text', text: 'this picture' }], null, 'x'.repeat(1_000_000)), ['Describe this picture', '', 'x'.repeat(1_000_000)]],
  ];
  for (const [request, texts] of cases) assert.equal(extractFeatures(request).inputTokens, definition(texts), texts[0]?.slice(0, 40));
});

test('input tokens: a repeated head (a shared system prompt) is looked up, and the counts stay exact past the cache size', () => {
  const system = 'You are a careful assistant for an online bookshop. Answer briefly and politely. '.repeat(6);
  const ask = (i: number, head = system): ChatRequest => ({
    model: 'auto', stream: false, includeUsage: false, messages: [{ role: 'system', content: head }, { role: 'user', content: `Question ${i}: where is my order?` }],
  });
  const expected = (request: ChatRequest): number => definition(request.messages.map((m) => (typeof m.content === 'string' ? m.content : '')));
  // 600 distinct heads (more than the cache holds), each asked twice, with the shared one in between.
  for (let i = 0; i < 600; i++) {
    const own = ask(i, `${i} `.repeat(150));
    for (const request of [own, ask(i), own]) assert.equal(extractFeatures(request).inputTokens, expected(request), `request ${i}`);
  }
});
