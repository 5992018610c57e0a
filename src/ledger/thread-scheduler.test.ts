import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createThreadScheduler, currentThreadId } from './thread-scheduler.js';
import { createWorkerLedgerStore } from './worker-ledger-store.js';

const recorder = (fail: (args: readonly string[]) => boolean = () => false) => {
  const calls: string[] = [];
  const run = async (file: string, args: readonly string[]): Promise<void> => {
    calls.push([file, ...args].join(' '));
    if (fail(args)) throw new Error('chrt: Operation not permitted');
  };
  return { calls, run };
};

test('a throwaway chrt under SCHED_IDLE must put itself back first; then the thread is set by id, one chrt a change', async () => {
  const { calls, run } = recorder();
  const s = await createThreadScheduler(4242, run);
  assert.ok(s);
  assert.equal(s.idle, true);
  assert.deepEqual(calls, ['chrt --idle 0 chrt --other 0 true', 'chrt --idle --pid 0 4242']);
  assert.equal(await s.setIdle(false), true);
  assert.equal(s.idle, false);
  assert.equal(calls.at(-1), 'chrt --other --pid 0 4242');
});

test('no scheduler where it could not be undone (the thread is never touched), where chrt fails, or without a thread id', async () => {
  const undo = recorder((args) => args.includes('true'));
  assert.equal(await createThreadScheduler(4242, undo.run), null);
  assert.deepEqual(undo.calls, ['chrt --idle 0 chrt --other 0 true'], 'the writer thread was not set');
  assert.equal(await createThreadScheduler(4242, recorder(() => true).run), null);
  assert.equal(await createThreadScheduler(null, recorder().run), null);
});

/** Policies of this process's threads (field 41 of /proc/self/task/TID/stat; 5 is SCHED_IDLE). */
const idleThreads = (): number => readdirSync('/proc/self/task').filter((t) => {
  const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[38] === '5';
}).length;

test('the SQLite thread runs under SCHED_IDLE where chrt can set and undo it; writerIdle false leaves it alone', async (t) => {
  const probe = await createThreadScheduler(currentThreadId());
  if (!probe) return t.skip('SCHED_IDLE cannot be set and undone here (not Linux, no chrt, or no CAP_SYS_NICE)');
  await probe.setIdle(false);
  const store = await createWorkerLedgerStore(':memory:');
  try {
    assert.equal(store.writerThreadIdle, true);
    assert.equal(idleThreads(), 1, 'one thread of this process under SCHED_IDLE: the writer');
  } finally {
    await store.close();
  }
  const plain = await createWorkerLedgerStore(':memory:', { writerIdle: false });
  try {
    assert.equal(plain.writerThreadIdle, false);
    assert.equal(idleThreads(), 0);
  } finally {
    await plain.close();
  }
});
