import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerRow, LedgerStore } from '../spec/ledger.js';
import { createLedgerWriter, type WriterTimers } from './create-ledger-writer.js';
import { makeLedgerRow } from './ledger-store-conformance.js';

const row = (i: number): LedgerRow => makeLedgerRow({ requestId: `r${i}` });
const ids = (rows: readonly LedgerRow[]): string[] => rows.map((r) => r.requestId);
const range = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `r${from + i}`);
/** Lets queued microtasks and the writer's promise chain run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface FakeStore extends LedgerStore {
  rows: LedgerRow[];
  batches: number[];
  attempts: number;
  maxConcurrent: number;
  /** Decides per insert attempt whether it fails (nothing is stored when it does). */
  failWhen: (attempt: number) => boolean;
  /** While set, inserts wait for it. */
  gate: Promise<void> | null;
}

const fakeStore = (): FakeStore => {
  let active = 0;
  const s: FakeStore = {
    rows: [], batches: [], attempts: 0, maxConcurrent: 0, failWhen: () => false, gate: null,
    async insert(batch) {
      active += 1;
      s.maxConcurrent = Math.max(s.maxConcurrent, active);
      const attempt = ++s.attempts;
      try {
        await Promise.resolve();
        if (s.gate) await s.gate;
        if (s.failWhen(attempt)) throw new Error(`db down (attempt ${attempt})`);
        s.rows.push(...batch);
        s.batches.push(batch.length);
      } finally {
        active -= 1;
      }
    },
    spend: async () => [],
    count: async () => s.rows.length,
    close: async () => undefined,
  };
  return s;
};

const fakeTimers = (): WriterTimers & { armed: Array<{ fn: () => void; ms: number }>; fire(): void } => {
  const armed: Array<{ fn: () => void; ms: number }> = [];
  return {
    armed,
    setTimeout: (fn, ms) => {
      const h = { fn, ms };
      armed.push(h);
      return h;
    },
    clearTimeout: (h) => {
      const i = armed.indexOf(h as { fn: () => void; ms: number });
      if (i >= 0) armed.splice(i, 1);
    },
    fire() {
      for (const h of armed.splice(0)) h.fn();
    },
  };
};

test('write() does no I/O; the interval timer flushes a partial batch', async () => {
  const store = fakeStore();
  const timers = fakeTimers();
  const writer = createLedgerWriter(store, { maxBatch: 10, flushIntervalMs: 250, timers });
  writer.write(row(0));
  writer.write(row(1));
  assert.equal(store.attempts, 0);
  assert.equal(writer.pending, 2);
  await settle();
  assert.equal(store.attempts, 0, 'below maxBatch nothing is written before the interval');
  assert.deepEqual(timers.armed.map((t) => t.ms), [250]);
  timers.fire();
  await settle();
  assert.deepEqual(ids(store.rows), ['r0', 'r1']);
  assert.equal(writer.pending, 0);
  assert.equal(timers.armed.length, 0, 'an idle writer arms no timer');
});

test('reaching maxBatch flushes after the caller returns, never inside write()', async () => {
  const store = fakeStore();
  const writer = createLedgerWriter(store, { maxBatch: 5, timers: fakeTimers() });
  for (let i = 0; i < 5; i++) writer.write(row(i));
  assert.equal(store.attempts, 0, 'write() returned before any insert started');
  await settle();
  assert.deepEqual(store.batches, [5]);
});

test('batches are capped at maxBatch and rows keep their order', async () => {
  const store = fakeStore();
  const writer = createLedgerWriter(store, { maxBatch: 5, timers: fakeTimers() });
  for (let i = 0; i < 23; i++) writer.write(row(i));
  await writer.flush();
  assert.deepEqual(ids(store.rows), range(0, 23));
  assert.ok(store.batches.every((n) => n <= 5), store.batches.join(','));
  assert.equal(writer.persisted, 23);
});

test('flushes are serialized: never two inserts at once', async () => {
  const store = fakeStore();
  let release = (): void => undefined;
  store.gate = new Promise((resolve) => { release = resolve; });
  const writer = createLedgerWriter(store, { maxBatch: 3, timers: fakeTimers() });
  const flushes: Promise<void>[] = [];
  for (let i = 0; i < 30; i++) {
    writer.write(row(i));
    if (i % 4 === 0) flushes.push(writer.flush());
  }
  await settle();
  release();
  await Promise.all(flushes);
  await writer.flush();
  assert.equal(store.maxConcurrent, 1);
  assert.deepEqual(ids(store.rows), range(0, 30));
});

test('flush() resolves once everything written before it is stored, while writes continue', async () => {
  const store = fakeStore();
  let release = (): void => undefined;
  store.gate = new Promise((resolve) => { release = resolve; });
  const writer = createLedgerWriter(store, { maxBatch: 100, timers: fakeTimers() });
  for (let i = 0; i < 3; i++) writer.write(row(i));
  const flushed = writer.flush();
  for (let i = 3; i < 6; i++) writer.write(row(i));
  release();
  await flushed;
  assert.deepEqual(ids(store.rows).slice(0, 3), range(0, 3));
});

test('a failing store keeps the rows and retries them on the next flush, in order, once', async () => {
  const store = fakeStore();
  const timers = fakeTimers();
  const errors: Array<{ err: unknown; n: number }> = [];
  const writer = createLedgerWriter(store, { maxBatch: 5, timers, onError: (err, rows) => errors.push({ err, n: rows.length }) });
  store.failWhen = (attempt) => attempt === 1;
  for (let i = 0; i < 3; i++) writer.write(row(i));
  await assert.rejects(writer.flush(), /db down/);
  assert.equal(writer.pending, 3);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.n, 3);
  // While failing, a full batch does not trigger an immediate retry storm: the timer retries.
  for (let i = 3; i < 10; i++) writer.write(row(i));
  await settle();
  assert.equal(store.attempts, 1);
  assert.equal(timers.armed.length, 1);
  timers.fire();
  await writer.flush();
  assert.deepEqual(ids(store.rows), range(0, 10));
  assert.equal(writer.pending, 0);
  assert.equal(writer.dropped, 0);
});

test('beyond maxPending the oldest rows are dropped and counted', async () => {
  const store = fakeStore();
  store.failWhen = () => true;
  const lost: string[] = [];
  const writer = createLedgerWriter(store, {
    maxBatch: 2, maxPending: 4, timers: fakeTimers(),
    onError: (err, rows) => { if (String(err).includes('maxPending')) lost.push(...ids(rows)); },
  });
  for (let i = 0; i < 6; i++) writer.write(row(i));
  assert.equal(writer.dropped, 2);
  assert.deepEqual(lost, ['r0', 'r1']);
  await settle();
  assert.equal(writer.pending, 4);
  store.failWhen = () => false;
  await writer.flush();
  assert.deepEqual(ids(store.rows), range(2, 6));
});

test('invalid rows are dropped at write() instead of poisoning a batch forever', async () => {
  const store = fakeStore();
  const reasons: string[] = [];
  const writer = createLedgerWriter(store, { timers: fakeTimers(), onError: (err) => reasons.push(String(err)) });
  writer.write(row(0));
  writer.write(makeLedgerRow({ requestId: 'bad', costMicroUsd: Number.NaN }));
  writer.write(row(1));
  await writer.flush();
  assert.deepEqual(ids(store.rows), ['r0', 'r1']);
  assert.equal(writer.dropped, 1);
  assert.match(reasons.join(), /costMicroUsd/);
});

test('close() flushes everything, stops the timer, and later writes are dropped, not lost silently', async () => {
  const store = fakeStore();
  const timers = fakeTimers();
  let errors = 0;
  const writer = createLedgerWriter(store, { maxBatch: 100, timers, onError: () => { errors += 1; } });
  for (let i = 0; i < 7; i++) writer.write(row(i));
  assert.equal(timers.armed.length, 1);
  await writer.close();
  assert.deepEqual(ids(store.rows), range(0, 7));
  assert.equal(timers.armed.length, 0);
  writer.write(row(99));
  assert.equal(writer.dropped, 1);
  assert.equal(errors, 1);
  assert.equal(timers.armed.length, 0);
});

test('a throwing onError does not break the writer', async () => {
  const store = fakeStore();
  store.failWhen = (attempt) => attempt === 1;
  const writer = createLedgerWriter(store, { timers: fakeTimers(), onError: () => { throw new Error('logger broke'); } });
  writer.write(row(0));
  await assert.rejects(writer.flush(), /db down/);
  await writer.flush();
  assert.deepEqual(ids(store.rows), ['r0']);
});

test('10,000 writes with flaky inserts, timers and flushes: no row lost, none duplicated, order kept', async () => {
  const store = fakeStore();
  const timers = fakeTimers();
  // Deterministic pseudo-random failures: about one insert in four fails.
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  store.failWhen = () => random() < 0.25;
  const writer = createLedgerWriter(store, { maxBatch: 64, maxPending: 20_000, timers });
  for (let i = 0; i < 10_000; i++) {
    writer.write(row(i));
    if (i % 97 === 0) await settle();
    if (i % 501 === 0) timers.fire();
    if (i % 1303 === 0) await writer.flush().catch(() => undefined);
  }
  for (let tries = 0; writer.pending > 0 && tries < 1000; tries++) await writer.flush().catch(() => undefined);
  await writer.close();
  assert.equal(store.rows.length, 10_000);
  assert.equal(new Set(ids(store.rows)).size, 10_000);
  assert.deepEqual(ids(store.rows), range(0, 10_000));
  assert.equal(writer.dropped, 0);
  assert.equal(store.maxConcurrent, 1);
  assert.ok(store.attempts > store.batches.length + 10, `the test must exercise failures (${store.attempts} attempts, ${store.batches.length} batches)`);
});
