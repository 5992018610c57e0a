import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createThreadScheduler } from './thread-scheduler.js';
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
  s.want(false);
  await settle();
  assert.equal(s.idle, false);
  assert.equal(calls.at(-1), 'chrt --other --pid 0 4242');
  s.close();
  s.want(true);
  await settle();
  assert.equal(s.idle, false, 'closed: the thread (and its id) is left alone');
});

/** Lets pending promise callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

test('one chrt at a time, the last wish wins: changes never land out of order', async () => {
  const calls: string[] = [];
  const pending: Array<() => void> = [];
  let gate = false;
  const run = (_file: string, args: readonly string[]): Promise<void> => {
    calls.push(args.join(' '));
    return gate ? new Promise((resolve) => pending.push(resolve)) : Promise.resolve();
  };
  const s = await createThreadScheduler(7, run);
  assert.ok(s);
  gate = true;
  s.want(false); // a slow --other starts
  s.want(true); // asked while it runs: must not start a second chrt
  s.want(false);
  assert.equal(calls.filter((c) => c.includes('--pid 0 7')).length, 2, 'the probe set idle once, then one change in flight');
  pending.shift()?.();
  await settle();
  assert.equal(s.idle, false, 'the last wish (other) is what the thread is under');
  assert.equal(pending.length, 0, 'nothing more to apply');
  s.want(true);
  pending.shift()?.();
  await settle();
  assert.equal(s.idle, true);
});

test('a failed chrt leaves the wish standing; retry applies it', async () => {
  let failOther = true;
  const s = await createThreadScheduler(7, async (_file, args) => {
    if (failOther && args[0] === '--other' && args[1] === '--pid') throw new Error('fork: Resource temporarily unavailable');
  });
  assert.ok(s);
  s.want(false);
  await settle();
  assert.equal(s.idle, true, 'still idle after the failure');
  failOther = false;
  s.retry();
  await settle();
  assert.equal(s.idle, false, 'the retry raised it');
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
  try {
    execFileSync('chrt', ['--idle', '0', 'chrt', '--other', '0', 'true'], { stdio: 'ignore' });
  } catch {
    return t.skip('SCHED_IDLE cannot be set and undone here (not Linux, no chrt, or no CAP_SYS_NICE)');
  }
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
