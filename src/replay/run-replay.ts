import type { DatasetRecord } from '../datasets/dataset-record.js';
import type { Outcome, ReplayStep } from './replay-report.js';
import { createDriftProbe, type DriftAlarm } from './drift-probe.js';

/** What the replay loop needs from the outside world (a gateway URL, the static policy's choice). */
export interface ReplayLoopOptions {
  url: string;
  route: string;
  apiKey?: string;
  stream: readonly DatasetRecord[];
  /** The static policy's choice for a prompt (computed in-process from the trained artefact). */
  staticChoice(record: DatasetRecord): string;
  /** Requests between an answer and its feedback. */
  feedbackDelay: number;
  /** Share of answers that get feedback. */
  feedbackRate: number;
  /** Declared metric the feedback is posted on (0/1 from the dataset's score). */
  feedbackMetric: string;
  /** Poll the drift counter every this many requests. */
  driftEvery: number;
  random: () => number;
  onProgress?(done: number): void;
}

export interface ReplayLoopResult {
  steps: ReplayStep[];
  /** Drift alarms the gateway raised, with the request (0-based stream index) after which they were seen. */
  driftEvents: Array<DriftAlarm & { at: number }>;
  feedbackPosted: number;
  /** Feedback posts the gateway did not accept (e.g. a gateway without the feedback API). */
  feedbackRejected: number;
  /** Requests that got no answer. */
  errors: number;
  /** Wall-clock time (ms) each request was answered, to place the gateway's own events (policy versions) in the stream. */
  answeredAt: number[];
}

const outcomeOf = (r: DatasetRecord, model: string): Outcome => ({ model, quality: r.scores[model] ?? 0, costUsd: r.costUsd?.[model] ?? 0 });

const perModel = (r: DatasetRecord): ReplayStep['perModel'] => {
  const out: Record<string, { quality: number; costUsd: number }> = {};
  for (const [m, s] of Object.entries(r.scores)) if (s !== null && r.costUsd?.[m] !== undefined) out[m] = { quality: s, costUsd: r.costUsd[m] ?? 0 };
  return out;
};

/**
 * Streams the prompts through the gateway one at a time (the order is the experiment), posts each
 * sampled answer's real outcome as feedback `feedbackDelay` requests later, and watches the drift
 * counter. Costs and qualities are the dataset's for the model the gateway served, so the three
 * policies are compared on the same real numbers.
 */
export const runReplayLoop = async (o: ReplayLoopOptions): Promise<ReplayLoopResult> => {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}) };
  const due: Array<{ at: number; decisionId: string; value: number }> = [];
  const probe = createDriftProbe(o.url, headers);
  const result: ReplayLoopResult = { steps: [], driftEvents: [], feedbackPosted: 0, feedbackRejected: 0, errors: 0, answeredAt: [] };
  const postFeedback = async (upTo: number): Promise<void> => {
    while (due.length > 0 && (due[0]?.at ?? Infinity) <= upTo) {
      const f = due.shift()!;
      const res = await fetch(`${o.url}/v1/feedback`, { method: 'POST', headers, body: JSON.stringify({ decision_id: f.decisionId, metric: o.feedbackMetric, value: f.value }) });
      await res.arrayBuffer();
      if (res.status === 202) result.feedbackPosted += 1;
      else result.feedbackRejected += 1;
    }
  };
  await probe.poll();
  for (const [i, record] of o.stream.entries()) {
    const res = await fetch(`${o.url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model: o.route, messages: record.messages }) });
    await res.arrayBuffer();
    result.answeredAt.push(Date.now());
    const served = res.headers.get('x-switchyard-model');
    const decisionId = res.headers.get('x-switchyard-decision-id');
    const learning = res.ok && served ? outcomeOf(record, served) : null;
    if (!learning) result.errors += 1;
    if (learning && decisionId && o.random() < o.feedbackRate) due.push({ at: i + o.feedbackDelay, decisionId, value: learning.quality >= 0.5 ? 1 : 0 });
    result.steps.push({ task: record.task, learning, static: outcomeOf(record, o.staticChoice(record)), perModel: perModel(record) });
    await postFeedback(i);
    if ((i + 1) % o.driftEvery === 0) for (const alarm of await probe.poll()) result.driftEvents.push({ ...alarm, at: i });
    o.onProgress?.(i + 1);
  }
  await postFeedback(Infinity);
  return result;
};
