import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatasetRecord } from '../datasets/dataset-record.js';
import { chooseByUtility } from '../routing/choose-target.js';
import { prepareRecords } from './prepare-records.js';
import { taskLabelPredictor } from './task-label-reference.js';

const record = (i: number, task: string): DatasetRecord => ({
  id: `${task}${i}`, task, messages: [{ role: 'user', content: `prompt ${i}` }],
  scores: { small: task === 'easy' ? 1 : i % 4 === 0 ? 1 : 0, large: 1 },
  costUsd: { small: 0.001, large: 0.01 },
});

test('the task-label reference predicts each model\'s train mean on the prompt\'s task', () => {
  const train = prepareRecords([...Array.from({ length: 8 }, (_, i) => record(i, 'easy')), ...Array.from({ length: 8 }, (_, i) => record(i, 'hard'))]);
  const predict = taskLabelPredictor(train, ['small', 'large']);
  assert.ok(predict);
  const [hard] = prepareRecords([record(99, 'hard')]);
  const preds = predict(hard!);
  assert.deepEqual(preds.map((p) => [p.model, p.pQuality, p.costUsd]), [['small', 0.25, 0.001], ['large', 1, 0.01]]);
  // Worth 0.75 quality points for 0.009 USD: taken below λ = 83, not above.
  assert.equal(chooseByUtility(preds, 50)?.model, 'large');
  assert.equal(chooseByUtility(preds, 100)?.model, 'small');
});

test('a set with one task label has no task-label reference', () => {
  assert.equal(taskLabelPredictor(prepareRecords([record(1, 'easy'), record(2, 'easy')]), ['small', 'large']), undefined);
});
