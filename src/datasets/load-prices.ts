import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { issueText } from '../config/config-error.js';
import type { PricesFile } from './dataset-record.js';

const price = z.number({ error: 'expected a number of USD per 1M tokens' }).finite().nonnegative('expected a price ≥ 0');
const pricesSchema = z.record(z.string().min(1), z.looseObject({ input_per_mtok: price, output_per_mtok: price }), {
  error: 'expected an object {model: {input_per_mtok, output_per_mtok}}',
});

/**
 * Reads a prices file (`--prices`), `{model: {input_per_mtok, output_per_mtok}}`. A price that is
 * missing, not a number or negative would turn every cost of that model into NaN or a credit, so
 * each is checked, and the error names the file and the field.
 */
export const loadPrices = async (path: string): Promise<PricesFile> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: cannot read the prices file: ${(err as Error).message}`);
  }
  let tree: unknown;
  try {
    tree = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON: ${(err as Error).message}`);
  }
  const parsed = pricesSchema.safeParse(tree);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: ${issue ? issueText(issue) : 'invalid prices file'}`);
  }
  return parsed.data;
};
