import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBusyMeter, createPriorityGovernor, createWriterPriority, setThreadNice, starvedChange } from './writer-priority.js';

test('the writer thread starts low, goes normal on one busy window and low again after enough calm ones', () => {
  const g = createPriorityGovernor({ behindShare: 0.8, caughtUpShare: 0.3, caughtUpWindows: 3 });
  assert.equal(g.low, true);
  assert.equal(g.observe(0.05), null);
  assert.equal(g.observe(0.8), null, 'at the threshold is not behind');
  assert.equal(g.observe(0.95), 'normal');
  assert.equal(g.low, false);
  assert.equal(g.observe(1), null, 'already normal');
  assert.equal(g.observe(0.1), null);
  assert.equal(g.observe(0.1), null);
  assert.equal(g.observe(0.5), null, 'a window over caughtUpShare starts the count again');
  assert.equal(g.observe(0.1), null);
  assert.equal(g.observe(0.1), null);
  assert.equal(g.observe(0.1), 'low');
  assert.equal(g.low, true);
});

test('the busy meter gives the share of each window with a call in flight, overlapping calls counted once', () => {
  let t = 0;
  const m = createBusyMeter(100, () => t);
  m.begin(); // 0–30
  t = 10;
  m.begin(); // 10–40, overlaps
  t = 30;
  assert.equal(m.end(), null, 'window not over');
  t = 40;
  assert.equal(m.end(), null);
  t = 90;
  m.begin(); // 90–120: the window ends while it is in flight
  t = 120;
  assert.equal(m.end(), (40 + 30) / 120);
  m.begin(); // 120–125, then idle till 300
  t = 125;
  assert.equal(m.end(), null);
  t = 300;
  m.begin();
  assert.equal(m.end(), 5 / 180, 'an idle stretch is a calm window');
});

test('setting a nice value that is not allowed reports false instead of throwing', () => {
  const refused = (): void => {
    throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
  };
  assert.equal(setThreadNice(refused, 0), false);
  const calls: Array<[number, number]> = [];
  assert.equal(setThreadNice((pid, nice) => calls.push([pid, nice]), 19), true);
  assert.deepEqual(calls, [[0, 19]], 'who = 0: the calling thread');
});

test('the busy meter says how long calls have been in flight without a break (what a starved thread shows)', () => {
  let t = 0;
  const m = createBusyMeter(100, () => t);
  assert.equal(m.inFlightMs(), null);
  m.begin();
  t = 250;
  assert.equal(m.inFlightMs(), 250, 'no call has returned: no window closed, but the meter sees it');
  m.end();
  assert.equal(m.inFlightMs(), null);
});

test('a call in flight for a whole window puts a low thread back to normal once, even with no window closed', () => {
  let t = 0;
  const m = createBusyMeter(100, () => t);
  const g = createPriorityGovernor({ behindShare: 2 }); // windows alone would never say behind
  assert.equal(starvedChange(m, g, 100), null, 'nothing in flight');
  m.begin();
  t = 99;
  assert.equal(starvedChange(m, g, 100), null, 'not a whole window yet');
  t = 100;
  assert.equal(starvedChange(m, g, 100), 'normal');
  assert.equal(g.low, false);
  t = 300;
  assert.equal(starvedChange(m, g, 100), null, 'already normal');
});

test('the writer priority: a starved call raises nice and the scheduling policy from the timer; retries a failed change; nothing after close', () => {
  let t = 0;
  const nice: string[] = [];
  const wants: boolean[] = [];
  let retries = 0;
  const scheduler = { want: (idle: boolean) => void wants.push(idle), retry: () => void (retries += 1), close: () => {}, idle: true };
  const p = createWriterPriority({
    governor: createPriorityGovernor({ behindShare: 2, caughtUpShare: 2, caughtUpWindows: 1 }), busy: createBusyMeter(100, () => t), windowMs: 100,
    setNice: (change) => void nice.push(change), scheduler,
  });
  p.begin(); // a read or an insert that the thread does not get to
  t = 50;
  p.tick();
  assert.deepEqual([nice, wants], [[], []], 'half a window: nothing yet');
  assert.equal(retries, 1, 'every tick retries a change a failed chrt left undone');
  t = 150;
  p.tick();
  assert.deepEqual([nice, wants], [['normal'], [false]]);
  p.end(); // the window closes calm (caughtUpShare 2): low again
  assert.deepEqual([nice, wants], [['normal', 'low'], [false, true]]);
  p.close();
  p.begin();
  t = 1000;
  p.tick();
  assert.deepEqual([nice, wants], [['normal', 'low'], [false, true]], 'closed: no more changes');
});
