import { stat } from 'node:fs/promises';
import type { DatasetRecord } from './dataset-record.js';
import { loadJsonl } from './load-jsonl.js';
import { loadRouterbenchCsv } from './load-routerbench-csv.js';

/** Loads a routing dataset by its extension: canonical JSONL (optionally gzipped), or RouterBench CSV (a file or a directory of them). */
export const loadDataset = async (path: string): Promise<DatasetRecord[]> => {
  if (/\.jsonl(\.gz)?$/.test(path)) return loadJsonl(path);
  if (path.endsWith('.csv') || (await stat(path).catch(() => undefined))?.isDirectory()) return loadRouterbenchCsv(path);
  throw new Error(`${path}: unsupported dataset format (expected .jsonl or .jsonl.gz in the canonical format, or RouterBench .csv)`);
};
