import { createHash } from 'node:crypto';
import type { DatasetRecord } from '../datasets/dataset-record.js';

/** 80/20 by a hash of the id: deterministic, independent of file order. */
const inTrainByHash = (id: string): boolean => (createHash('sha1').update(id).digest().readUInt32BE(0) % 100) < 80;

/**
 * Train and test parts: the file's own `split` field ('train' vs 'test') when it has one and
 * `auto` was not asked for, else a deterministic 80/20 split by id hash.
 */
export const splitRecords = (records: readonly DatasetRecord[], mode: 'file' | 'auto'): { train: DatasetRecord[]; test: DatasetRecord[]; how: string } => {
  const hasSplit = records.some((r) => r.split === 'train') && records.some((r) => r.split === 'test');
  if (mode === 'file' && hasSplit) {
    return { train: records.filter((r) => r.split === 'train'), test: records.filter((r) => r.split === 'test'), how: 'file split field' };
  }
  return { train: records.filter((r) => inTrainByHash(r.id)), test: records.filter((r) => !inTrainByHash(r.id)), how: '80/20 by id hash' };
};
