import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadJsonl } from './load-jsonl.js';

const dir = mkdtempSync(join(tmpdir(), 'sy-jsonl-'));
const line = JSON.stringify({ id: 1, task: 'qa', split: 'test', messages: [{ role: 'user', content: 'hi' }], scores: { m: 1 }, cost_usd: { m: 0.001 } });

test('JSONL and gzipped JSONL load the same records', async () => {
  writeFileSync(join(dir, 'a.jsonl'), `${line}\n\n`);
  writeFileSync(join(dir, 'a.jsonl.gz'), gzipSync(`${line}\n`));
  const [plain, gz] = [await loadJsonl(join(dir, 'a.jsonl')), await loadJsonl(join(dir, 'a.jsonl.gz'))];
  assert.deepEqual(plain, gz);
  assert.equal(plain[0]?.id, '1');
});

test('every failure names the file: a missing one, one that is not gzip, a truncated one, a bad line', async () => {
  const full = gzipSync(`${line}\n`.repeat(200));
  writeFileSync(join(dir, 'fake.jsonl.gz'), 'not gzip at all');
  writeFileSync(join(dir, 'cut.jsonl.gz'), full.subarray(0, full.length - 8));
  writeFileSync(join(dir, 'bad.jsonl'), `${line}\n{"id": 2, "messages": []}\n`);
  await assert.rejects(loadJsonl(join(dir, 'nope.jsonl.gz')), /nope\.jsonl\.gz: ENOENT/);
  await assert.rejects(loadJsonl(join(dir, 'fake.jsonl.gz')), /fake\.jsonl\.gz: not a valid gzip file/);
  await assert.rejects(loadJsonl(join(dir, 'cut.jsonl.gz')), /cut\.jsonl\.gz: not a valid gzip file/);
  await assert.rejects(loadJsonl(join(dir, 'bad.jsonl')), /bad\.jsonl:2: messages/);
});
