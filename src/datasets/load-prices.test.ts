import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPrices } from './load-prices.js';

const dir = mkdtempSync(join(tmpdir(), 'sy-prices-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('a prices file is read and each price checked', async () => {
  const ok = file('ok.json', JSON.stringify({ m: { input_per_mtok: 0.5, output_per_mtok: 1.5, note: 'kept' } }));
  assert.deepEqual(await loadPrices(ok), { m: { input_per_mtok: 0.5, output_per_mtok: 1.5, note: 'kept' } });
});

test('a bad prices file names the file and the field instead of turning costs into NaN', async () => {
  const cases: Array<[string, string, RegExp]> = [
    ['text.json', JSON.stringify({ m: { input_per_mtok: 'x', output_per_mtok: 1 } }), /text\.json: m\.input_per_mtok: expected a number/],
    ['neg.json', JSON.stringify({ m: { input_per_mtok: 1, output_per_mtok: -2 } }), /neg\.json: m\.output_per_mtok: expected a price ≥ 0/],
    ['missing.json', JSON.stringify({ m: { input_per_mtok: 1 } }), /missing\.json: m\.output_per_mtok/],
    ['list.json', '[1, 2]', /list\.json: \(root\): expected an object/],
    ['broken.json', '{"m": {', /broken\.json: not valid JSON/],
  ];
  for (const [name, text, message] of cases) await assert.rejects(loadPrices(file(name, text)), message, name);
  await assert.rejects(loadPrices(join(dir, 'nope.json')), /nope\.json: cannot read the prices file/);
});
