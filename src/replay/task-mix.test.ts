import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildStream, parseShift, parseTaskMix, seededRandom } from './task-mix.js';
import { counterSeries } from './drift-probe.js';

test('task mixes and shifts parse; bad ones name the option', () => {
  assert.deepEqual(parseTaskMix('mbpp=0.5, winogrande=0.5', '--mix'), { mbpp: 0.5, winogrande: 0.5 });
  assert.deepEqual(parseShift('2000:mbpp=1'), { at: 2000, mix: { mbpp: 1 } });
  assert.throws(() => parseTaskMix('mbpp', '--mix'), /--mix: expected task=weight/);
  assert.throws(() => parseTaskMix('mbpp=0', '--mix'), /--mix: the weights/);
  assert.throws(() => parseShift('x:mbpp=1'), /--shift: expected AT:TASKMIX/);
});

test('the stream follows the mix, then the shifted mix, and is reproducible', () => {
  const byTask = new Map([['a', ['a1', 'a2']], ['b', ['b1']]]);
  const s = buildStream(byTask, 2_000, { a: 0.9, b: 0.1 }, { at: 1_000, mix: { b: 1 } }, seededRandom(3));
  const shareA = s.slice(0, 1_000).filter((x) => x.startsWith('a')).length / 1_000;
  assert.ok(shareA > 0.85 && shareA < 0.95, `share of a before the shift ${shareA}`);
  assert.ok(s.slice(1_000).every((x) => x === 'b1'));
  assert.deepEqual(buildStream(byTask, 50, { a: 1, b: 1 }, undefined, seededRandom(3)), buildStream(byTask, 50, { a: 1, b: 1 }, undefined, seededRandom(3)));
  assert.throws(() => buildStream(byTask, 10, { c: 1 }, undefined, seededRandom(1)), /task 'c' has no prompts/);
});

test('a Prometheus counter is read per label set', () => {
  const text = ['# HELP x', 'switchyard_drift_events_total{kind="features",group="task"} 2', 'switchyard_drift_events_total{kind="outcomes",group="latency"} 1', 'switchyard_drift_events_totalish 9', 'other 4'].join('\n');
  assert.deepEqual([...counterSeries(text, 'switchyard_drift_events_total')], [['{kind="features",group="task"}', 2], ['{kind="outcomes",group="latency"}', 1]]);
});
