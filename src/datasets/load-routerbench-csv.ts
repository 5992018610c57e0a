import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { countTokens } from 'gpt-tokenizer';
import type { DatasetRecord } from './dataset-record.js';
import { parsePythonStringList } from './parse-python-literal.js';

const RESPONSE = '|model_response';
const COST = '|total_cost';

/** `arc_challenge_test.csv` → 'test'; files without a split suffix have none. */
const splitOf = (file: string): string | undefined => /_(train|test)\.csv$/.exec(file)?.[1];

const toRecord = (row: Record<string, string>, split: string | undefined, models: readonly string[]): DatasetRecord => {
  const scores: Record<string, number | null> = {};
  const costUsd: Record<string, number> = {};
  const responses: Record<string, string> = {};
  const outputTokens: Record<string, number> = {};
  for (const m of models) {
    const s = row[m];
    scores[m] = s === undefined || s === '' ? null : Number(s);
    const c = row[m + COST];
    if (c !== undefined && c !== '') costUsd[m] = Number(c);
    const r = row[m + RESPONSE];
    if (r !== undefined && r !== '') {
      responses[m] = parsePythonStringList(r).join('\n');
      // The CSV has no token counts: count the recorded answer (the output-length predictor learns from it).
      outputTokens[m] = countTokens(responses[m]);
    }
  }
  return {
    id: row['sample_id'] ?? '',
    task: row['eval_name'] ?? 'unknown',
    split,
    // One user message per list item, as in the canonical JSONL (multi-turn prompts stay turns).
    messages: parsePythonStringList(row['prompt'] ?? '').map((content) => ({ role: 'user' as const, content })),
    scores, costUsd, responses, outputTokens,
  };
};

/**
 * RouterBench's wide CSV (one file, or a directory of `*_train.csv` / `*_test.csv`): prompts and
 * responses are Python-literal lists of strings; one 0/1 score column per model, then
 * `<model>|model_response` and `<model>|total_cost`. Unlike the canonical JSONL it keeps the
 * models' real response texts, which the quality estimator learns from.
 */
export const loadRouterbenchCsv = async (path: string): Promise<DatasetRecord[]> => {
  const files = path.endsWith('.csv') ? [path] : (await readdir(path)).filter((f) => f.endsWith('.csv')).sort().map((f) => join(path, f));
  const records: DatasetRecord[] = [];
  for (const file of files) {
    const rows = parse(await readFile(file, 'utf8'), { columns: true, skip_empty_lines: true, relax_column_count: true }) as Array<Record<string, string>>;
    const header = Object.keys(rows[0] ?? {});
    const models = header.filter((h) => header.includes(h + RESPONSE));
    if (models.length === 0) throw new Error(`${file}: not a RouterBench CSV (no '<model>${RESPONSE}' columns)`);
    for (const row of rows) records.push(toRecord(row, splitOf(file), models));
  }
  return records;
};
