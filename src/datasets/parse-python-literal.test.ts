import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePythonStringList } from './parse-python-literal.js';

test('Python list literals: both quote styles, escapes, several items', () => {
  assert.deepEqual(parsePythonStringList(`['A\\n']`), ['A\n']);
  assert.deepEqual(parsePythonStringList(`["it's", 'say \\'hi\\' \\\\ \\x41\\u00e9']`), ["it's", "say 'hi' \\ Aé"]);
  assert.deepEqual(parsePythonStringList('[]'), []);
  assert.deepEqual(parsePythonStringList('plain text'), ['plain text']);
});
