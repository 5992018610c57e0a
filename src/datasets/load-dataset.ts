import { stat } from 'node:fs/promises';
import type { DatasetRecord } from './dataset-record.js';
import { loadJsonl } from './load-jsonl.js';
import { loadRouterbenchCsv } from './load-routerbench-csv.js';

/** Loads a routing dataset by its extension: canonical JSONL (optionally gzipped), or RouterBench CSV (a file or a directory of them). */
export const loadDataset = async (path: string): Promise<DatasetRecord[]> => {
  const records = await loadByFormat(path);
  // An empty set would train nothing and evaluate nothing while reporting success.
  if (records.length === 0) throw new Error(`${path}: no records (an empty file, or a directory without RouterBench CSVs)`);
  return records;
};

const loadByFormat = async (path: string): Promise<DatasetRecord[]> => {
  if (/\.jsonl(\.gz)?$/.test(path)) return loadJsonl(path);
  if (path.endsWith('.csv') || (await stat(path).catch(() => undefined))?.isDirectory()) return loadRouterbenchCsv(path);
  throw new Error(`${path}: unsupported dataset format (expected .jsonl or .jsonl.gz in the canonical format, or RouterBench .csv)`);
};
