import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { DatasetRecord } from './dataset-record.js';

const messageSchema = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(z.object({ type: z.string() }).passthrough()), z.null()]),
});

const recordSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  task: z.string().default('unknown'),
  split: z.string().optional(),
  messages: z.array(messageSchema).min(1),
  scores: z.record(z.string(), z.number().min(0).max(1).nullable()),
  cost_usd: z.record(z.string(), z.number().nonnegative()).optional(),
  output_tokens: z.record(z.string(), z.number().nonnegative()).optional(),
  responses: z.record(z.string(), z.string()).optional(),
});

/**
 * Reads a canonical JSONL routing set (optionally .gz). A bad line fails the load with its
 * line number and the field at fault, rather than being skipped silently.
 */
export const loadJsonl = async (path: string): Promise<DatasetRecord[]> => {
  const raw = createReadStream(path);
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  // pipe() does not forward the file's errors (a missing file) to the gunzip stream the loop reads.
  if (input !== raw) raw.on('error', (err) => input.destroy(err));
  try {
    return await readRecords(path, createInterface({ input, crlfDelay: Infinity }));
  } catch (err) {
    const message = (err as Error).message;
    // Read and decompression errors name no file ('incorrect header check'): the path is added.
    if (message.startsWith(`${path}:`)) throw err;
    throw new Error(`${path}: ${path.endsWith('.gz') && (err as { code?: string }).code?.startsWith('Z_') ? `not a valid gzip file (${message})` : message}`);
  }
};

const readRecords = async (path: string, lines: AsyncIterable<string>): Promise<DatasetRecord[]> => {
  const records: DatasetRecord[] = [];
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw new Error(`${path}:${lineNo}: invalid JSON (${(err as Error).message})`);
    }
    const parsed = recordSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${path}:${lineNo}: ${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`);
    }
    const r = parsed.data;
    records.push({
      id: r.id,
      task: r.task,
      split: r.split,
      messages: r.messages.map((m) => ({ role: m.role, content: m.content as DatasetRecord['messages'][number]['content'] })),
      scores: r.scores,
      costUsd: r.cost_usd,
      outputTokens: r.output_tokens,
      responses: r.responses,
    });
  }
  return records;
};
