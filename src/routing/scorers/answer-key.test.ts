import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatResponse, FinishReason, ToolCall } from '../../spec/chat.js';
import { answerKey, textKey } from './answer-key.js';

const response = (content: string | null, finishReason: FinishReason = 'stop', toolCalls?: ToolCall[]): ChatResponse => ({
  id: 'r', created: 0, model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content, ...(toolCalls ? { toolCalls } : {}) }, finishReason }],
});
const call = (name: string, args: string): ToolCall => ({ id: 'c', type: 'function', function: { name, arguments: args } });

test('multiple-choice answers compare by the option chosen, whatever their dress', () => {
  const keys = ['B', 'b', 'B\n', '(B)', 'B)', 'B.', '**B**', 'Answer: B', 'The answer is (B) Paris', 'b. Paris', '  Ｂ  '].map((t) => textKey(t, 200));
  assert.deepEqual(new Set(keys), new Set(['option:b']));
  assert.notEqual(textKey('A', 200), textKey('B', 200));
  assert.equal(textKey('2', 200), textKey('2)', 200));
});

test('short text compares without case, spacing or surrounding punctuation; long or empty text has no key', () => {
  assert.equal(textKey('Positive.', 200), textKey('  positive ', 200));
  assert.notEqual(textKey('positive', 200), textKey('negative', 200));
  assert.equal(textKey('x'.repeat(201), 200), null);
  assert.equal(textKey('   ', 200), null);
  assert.equal(textKey('...', 200), null);
});

test('JSON answers compare as canonical JSON: key order and spacing ignored, values not', () => {
  assert.equal(textKey('{"a": 1, "b": [1, 2]}', 200), textKey('{"b":[1,2],"a":1}', 200));
  assert.notEqual(textKey('{"a": 1}', 200), textKey('{"a": 2}', 200));
  assert.equal(textKey('{not json', 200)?.startsWith('text:'), true);
});

test('tool calls compare by function and arguments; a cut-off answer has no key', () => {
  const a = response(null, 'tool_calls', [call('lookup', '{"city":"Paris","unit":"c"}')]);
  const b = response(null, 'tool_calls', [call('lookup', '{"unit":"c", "city":"Paris"}')]);
  const c = response(null, 'tool_calls', [call('lookup', '{"city":"Lyon","unit":"c"}')]);
  assert.equal(answerKey(a, 200), answerKey(b, 200));
  assert.notEqual(answerKey(a, 200), answerKey(c, 200));
  assert.equal(answerKey(response('B', 'length'), 200), null);
});
