import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { DecisionRecord, FeedbackRecord } from '../spec/learning.js';

const decisionSchema = z.object({
  decisionId: z.string(), requestId: z.string().default(''), ts: z.number(), tenant: z.string(), route: z.string(),
  policy: z.string().default(''), policyVersion: z.string().default(''), chosen: z.string(), served: z.string().nullable().default(null),
  propensity: z.number(), considered: z.array(z.object({ targetId: z.string() }).passthrough()).default([]), context: z.array(z.number()),
  taskType: z.string().default('chat'), costMicroUsd: z.number(), latencyMs: z.number().default(0), status: z.number().default(200),
});
const feedbackSchema = z.object({
  decisionId: z.string(), tenant: z.string(), metric: z.string(), value: z.number(),
  source: z.enum(['user', 'judge', 'implicit', 'estimator']), ts: z.number(),
});
const lineSchema = z.union([z.object({ decision: decisionSchema }), z.object({ feedback: feedbackSchema })]);

export interface DecisionLog {
  decisions: DecisionRecord[];
  feedback: FeedbackRecord[];
}

/**
 * A decision log exported as JSONL: one `{"decision": DecisionRecord}` or `{"feedback":
 * FeedbackRecord}` per line (camelCase, as in src/spec/learning.ts). A bad line fails with its
 * number and field.
 */
export const readDecisionLog = async (path: string): Promise<DecisionLog> => {
  const log: DecisionLog = { decisions: [], feedback: [] };
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    n += 1;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw new Error(`${path}:${n}: invalid JSON (${(err as Error).message})`);
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new Error(`${path}:${n}: ${i?.path.join('.') || 'line'}: ${i?.message ?? 'invalid'} (expected {"decision": …} or {"feedback": …})`);
    }
    if ('decision' in parsed.data) log.decisions.push(parsed.data.decision as DecisionRecord);
    else log.feedback.push(parsed.data.feedback);
  }
  return log;
};

export interface LogFilter {
  route?: string;
  tenant?: string;
  from?: number;
  to?: number;
}

export const filterLog = (log: DecisionLog, f: LogFilter): DecisionLog => {
  const decisions = log.decisions.filter((d) =>
    (f.route === undefined || d.route === f.route) && (f.tenant === undefined || d.tenant === f.tenant) && (f.from === undefined || d.ts >= f.from) && (f.to === undefined || d.ts < f.to));
  const ids = new Set(decisions.map((d) => d.decisionId));
  return { decisions, feedback: log.feedback.filter((x) => ids.has(x.decisionId)) };
};
