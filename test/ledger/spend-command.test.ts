import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerSpendCommand, type SpendCommandIo } from '../../src/cli/commands/spend.js';
import { makeLedgerRow } from '../../src/ledger/ledger-store-conformance.js';
import { createSqliteLedgerStore } from '../../src/ledger/sqlite-ledger-store.js';

const run = async (args: string[], io: Partial<SpendCommandIo> = {}): Promise<{ out: string; err: string; exitCode: number }> => {
  let out = '';
  let err = '';
  const program = new Command('switchyard').exitOverride();
  registerSpendCommand(program, {
    out: (t) => { out += `${t}\n`; },
    err: (t) => { err += `${t}\n`; },
    env: {},
    fetch: () => Promise.reject(new Error('no network in tests')),
    ...io,
  });
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'switchyard', 'spend', ...args]);
    return { out, err, exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = before;
  }
};

const withLedger = async (fn: (path: string) => Promise<void>): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-spend-'));
  const path = join(dir, 'switchyard.db');
  const store = createSqliteLedgerStore(path);
  await store.insert([
    makeLedgerRow({ requestId: 'r1', tenant: 'acme', model: 'gpt-4o', costMicroUsd: 2_500_000, tags: { product: 'search' } }),
    makeLedgerRow({ requestId: 'r2', tenant: 'acme', model: 'gpt-4o-mini', costMicroUsd: 123 }),
    makeLedgerRow({ requestId: 'r3', tenant: 'globex', model: 'gpt-4o', costMicroUsd: 1, ts: Date.UTC(2025, 5, 1) }),
  ]);
  await store.close();
  try {
    await fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

test('prints an aligned table with USD to 6 decimals and a total', async () => {
  await withLedger(async (path) => {
    const { out, exitCode } = await run(['--db', path]);
    assert.equal(exitCode, 0);
    const lines = out.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^tenant\s+model\s+requests\s+attempts\s+input_tokens\s+output_tokens\s+cached_tokens\s+reasoning_tokens\s+cost_usd$/);
    assert.match(out, /acme\s+gpt-4o\s+1\s+1\s+100\s+50\s+0\s+0\s+2\.500000/);
    assert.match(out, /acme\s+gpt-4o-mini\s.*\s0\.000123$/m);
    assert.match(out, /TOTAL\s+3\s+3\s.*\s2\.500124$/m);
    // Right-aligned numbers: every line has the same width up to the cost column's end.
    const widths = new Set(lines.filter((l) => !l.startsWith('-')).map((l) => l.length));
    assert.equal(widths.size, 1, out);
  });
});

test('--json, --group-by with a tag, --from/--to and SWITCHYARD_DB', async () => {
  await withLedger(async (path) => {
    const { out } = await run(['--group-by', 'tag:product', '--from', '2025-03-01', '--to', '2025-04-01', '--json'], { env: { SWITCHYARD_DB: path } });
    const rows = JSON.parse(out) as Array<{ group: Record<string, string>; costMicroUsd: number; costUsd: string }>;
    assert.deepEqual(rows.map((r) => [r.group['tag:product'], r.costMicroUsd, r.costUsd]), [['', 123, '0.000123'], ['search', 2_500_000, '2.500000']]);
  });
});

test('bad input and a missing file are clear errors with exit code 1', async () => {
  await withLedger(async (path) => {
    const bad = await run(['--db', path, '--group-by', 'tenant,colour']);
    assert.equal(bad.exitCode, 1);
    assert.match(bad.err, /group_by: unknown key 'colour'/);
    const badDate = await run(['--db', path, '--from', 'last tuesday']);
    assert.match(badDate.err, /from: expected an ISO-8601/);
  });
  const missing = await run(['--db', '/nonexistent/switchyard.db']);
  assert.equal(missing.exitCode, 1);
  assert.match(missing.err, /no ledger at \/nonexistent\/switchyard.db/);
});

test('--url asks a running gateway, with the admin key', async () => {
  const calls: Array<{ url: string; auth: string | undefined }> = [];
  const fakeFetch: typeof fetch = async (input, init) => {
    calls.push({ url: String(input), auth: (init?.headers as Record<string, string>)['authorization'] });
    return new Response(JSON.stringify({ object: 'list', data: [{ group: { tenant: 'acme' }, requests: 2, attempts: 3, inputTokens: 1, outputTokens: 2, cachedInputTokens: 0, reasoningTokens: 0, costMicroUsd: 42, costUsd: 0.000042 }] }), { status: 200 });
  };
  const { out, exitCode } = await run(['--url', 'http://127.0.0.1:8080', '--group-by', 'tenant'], { fetch: fakeFetch, env: { SWITCHYARD_ADMIN_KEY: 'adm-1' } });
  assert.equal(exitCode, 0);
  assert.equal(calls[0]?.url, 'http://127.0.0.1:8080/admin/spend?group_by=tenant');
  assert.equal(calls[0]?.auth, 'Bearer adm-1');
  assert.match(out, /acme\s+2\s+3\s+1\s+2\s+0\s+0\s+0\.000042/);
});
