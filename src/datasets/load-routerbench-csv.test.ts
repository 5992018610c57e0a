import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from './load-dataset.js';

test('RouterBench CSV: Python-literal prompts and responses, scores, costs, split from the file name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-rbcsv-'));
  const header = ',sample_id,prompt,eval_name,a,b,a|model_response,b|model_response,a|total_cost,b|total_cost,oracle_model_to_route_to';
  const row = `0,mbpp.1,"['Write a function.']",mbpp,1.0,,"['def f():\\n    return 1']","[""it\\'s hard""]",0.01,0.002,a`;
  writeFileSync(join(dir, 'mbpp_test.csv'), `${header}\n${row}\n`);
  const [r] = await loadDataset(dir);
  assert.equal(r?.id, 'mbpp.1');
  assert.equal(r?.split, 'test');
  assert.equal(r?.task, 'mbpp');
  assert.deepEqual(r?.scores, { a: 1, b: null });
  assert.deepEqual(r?.costUsd, { a: 0.01, b: 0.002 });
  assert.equal(r?.responses?.['a'], 'def f():\n    return 1');
  assert.equal(r?.responses?.['b'], "it's hard");
  assert.equal(r?.messages[0]?.content, 'Write a function.');
  writeFileSync(join(dir, 'other.csv'), 'x,y\n1,2\n');
  await assert.rejects(loadDataset(join(dir, 'other.csv')), /not a RouterBench CSV/);
});
