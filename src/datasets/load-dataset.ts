import type { DatasetRecord } from './dataset-record.js';
import { loadJsonl } from './load-jsonl.js';

/** Loads a routing dataset by its extension (canonical JSONL, optionally gzipped). */
export const loadDataset = async (path: string): Promise<DatasetRecord[]> => {
  if (/\.jsonl(\.gz)?$/.test(path)) return loadJsonl(path);
  throw new Error(`${path}: unsupported dataset format (expected .jsonl or .jsonl.gz in the canonical format)`);
};
