import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../../src/datasets/load-dataset.js';

const DIR = fileURLToPath(new URL('../../../../shared/data/routerbench/', import.meta.url));
const present = existsSync(join(DIR, 'raw')) && existsSync(join(DIR, 'routerbench.jsonl.gz'));

test('the raw RouterBench CSVs load into the same records as the canonical JSONL', { skip: present ? false : `RouterBench not found at ${DIR}` }, async () => {
  const fromCsv = await loadDataset(join(DIR, 'raw'));
  const jsonl = await loadDataset(join(DIR, 'routerbench.jsonl.gz'));
  assert.equal(fromCsv.length, jsonl.length);
  // A few ids repeat (the same sample in two files): match on id, split and prompt text.
  const key = (r: (typeof jsonl)[number]): string => `${r.id}\u0000${r.split}\u0000${r.messages.map((m) => m.content).join('\u0000')}`;
  const canonical = new Map(jsonl.map((r) => [key(r), r]));
  let unknownScores = 0;
  for (const r of fromCsv) {
    const c = canonical.get(key(r));
    assert.ok(c, `${r.id} (${r.split}) with the same prompt is in the JSONL`);
    assert.deepEqual(r.scores, c.scores, r.id);
    for (const [m, usd] of Object.entries(c.costUsd ?? {})) assert.ok(Math.abs((r.costUsd?.[m] ?? NaN) - usd) < 1e-12, `${r.id} ${m}`);
    unknownScores += Object.values(r.scores).filter((s) => s === null).length;
  }
  assert.ok(unknownScores > 0, 'the empty score cells are kept as unknown');
});
