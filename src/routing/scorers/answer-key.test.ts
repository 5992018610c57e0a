import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatResponse, FinishReason, ToolCall } from '../../spec/chat.js';
import { answerKey, panelVerdictOf, textKey } from './answer-key.js';

const response = (content: string | null, finishReason: FinishReason = 'stop', toolCalls?: ToolCall[]): ChatResponse => ({
  id: 'r', created: 0, model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content, ...(toolCalls ? { toolCalls } : {}) }, finishReason }],
});
const call = (name: string, args: string): ToolCall => ({ id: 'c', type: 'function', function: { name, arguments: args } });

const agree = (...texts: string[]): boolean =>
  panelVerdictOf(texts.map((t) => textKey(t, 200)), texts.length) === 'agree';

test('multiple-choice answers compare by the option chosen, whatever their dress', () => {
  const dressed = ['B', 'b', 'B\n', '(B)', 'B)', 'B.', '**B**', 'Answer: B', '**Answer:** B', 'The answer is (B) Paris', 'b. Paris', '  Ｂ  '];
  for (const t of dressed) assert.equal(agree('B', t), true, t);
  assert.equal(agree('A', 'B'), false);
  assert.equal(agree('2', '2)'), true);
  assert.equal(agree('(B) Paris', 'B. paris.'), true);
});

test('a label with different texts is two answers: no false agreement on lists, initials or variables', () => {
  for (const [a, b] of [['1. Paris', '1. London'], ['A. Lincoln', 'A. Johnson'], ['x: 5', 'x: 7'], ['a) true', 'a) false'], ['[1] Paris', '[1] Rome'], ['J. K. Rowling', 'J. R. R. Tolkien'], ['.5', '5']]) {
    assert.equal(agree(a as string, b as string), false, `${a} / ${b}`);
  }
  // Same option is not transitive: a bare label agrees with both, the two texts do not agree.
  assert.equal(agree('B', 'B) Paris', 'B) London'), false);
  assert.equal(textKey('Answered yes', 200), 'text:answered yes');
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
  assert.equal(textKey('```json\n{"b": 1, "a": "Alice"}\n```', 200), textKey('{"a":"Alice","b":1}', 200));
  assert.notEqual(textKey('```json\n{"name": "Alice"}\n```', 200), textKey('```json\n{"name": "ALICE"}\n```', 200));
});

test('tool calls compare by function and arguments; a cut-off answer has no key', () => {
  const a = response(null, 'tool_calls', [call('lookup', '{"city":"Paris","unit":"c"}')]);
  const b = response(null, 'tool_calls', [call('lookup', '{"unit":"c", "city":"Paris"}')]);
  const c = response(null, 'tool_calls', [call('lookup', '{"city":"Lyon","unit":"c"}')]);
  assert.equal(answerKey(a, 200), answerKey(b, 200));
  assert.notEqual(answerKey(a, 200), answerKey(c, 200));
  assert.equal(answerKey(response('B', 'length'), 200), null);
});
