import type { DatasetRecord, PricesFile } from '../datasets/dataset-record.js';
import { loadDataset } from '../datasets/load-dataset.js';
import { prepareRecords, type PreparedRecord } from '../eval/prepare-records.js';
import { splitRecords } from '../eval/split-records.js';
import { modelsOf, predict, trainRouter } from '../eval/train-router.js';
import { issueText } from '../config/config-error.js';
import { chooseByFloor } from '../routing/choose-target.js';
import { policyConfigSchema } from '../routing/policy-config.js';
import { REPLAY_ROUTE, startReplayGateway } from './replay-gateway.js';
import { summariseReplay, windowOf, type ReplaySummary } from './replay-report.js';
import { runReplayLoop, type ReplayLoopResult } from './run-replay.js';
import { buildStream, seededRandom, type TaskMix } from './task-mix.js';

export interface ReplayOptions {
  data: string;
  prices?: PricesFile;
  requests: number;
  mix?: TaskMix;
  shift?: { at: number; mix: TaskMix };
  /** The learning route's policy block. */
  policy: Record<string, unknown>;
  /** Extra gateway config (e.g. `{learning: {lambda: 5000}}`). */
  gatewayConfig?: Record<string, unknown>;
  /** λ of the learning loop (USD⁻¹), or `auto`: 1 / the best single model's cost per success on the train split. */
  lambda: number | 'auto';
  /** The static envelope policy's quality floor. */
  staticFloor: number;
  /** Quality a fixed model must reach in a window to count as the best fixed policy. */
  bestFloor: number;
  window: number;
  feedbackDelay: number;
  feedbackRate: number;
  feedbackMetric: string;
  driftEvery: number;
  seed: number;
  /** Target a running gateway instead of starting one (its upstream must serve the dataset). */
  url?: string;
  route?: string;
  apiKey?: string;
  onStart?(total: number): void;
  onProgress?(done: number): void;
}

export interface ReplayReport extends ReplaySummary {
  data: string;
  requests: number;
  mix: TaskMix;
  shift: { at: number; mix: TaskMix } | null;
  seed: number;
  /** The λ the learning loop ran with. */
  lambda: number;
  policies: { learning: Record<string, unknown>; static: { type: 'envelope'; qualityFloor: number; trainedOn: string }; bestFixed: { qualityFloor: number } };
  feedback: { delay: number; rate: number; metric: string; posted: number; rejected: number };
  driftDetectedAt: number | null;
  driftEvents: ReplayLoopResult['driftEvents'];
  /** The learning route's policy versions (in-process gateway only), oldest first, placed at the request after which each was made. */
  policyVersions: Array<{ kind: string; status: string; at: number }>;
  errors: number;
  before: ReturnType<typeof windowOf> | null;
  after: ReturnType<typeof windowOf> | null;
}

/**
 * λ that makes reward = quality − λ·cost rank policies like cost per success does: maximising
 * successes − cost/c* is minimising cost per success when c* is the optimum (Dinkelbach), and the
 * best single model's cost per success on the train split is a fair first guess of c*.
 */
export const lambdaForCostPerSuccess = (train: readonly PreparedRecord[], models: readonly string[]): number => {
  let best = Infinity;
  for (const m of models) {
    let cost = 0;
    let ok = 0;
    for (const r of train) {
      cost += r.costUsd.get(m) ?? 0;
      if ((r.quality.get(m) ?? 0) >= 0.5) ok += 1;
    }
    if (ok > 0 && cost > 0) best = Math.min(best, cost / ok);
  }
  return Number.isFinite(best) ? Number((1 / best).toPrecision(3)) : 100;
};

const byTask = (records: readonly DatasetRecord[]): Map<string, DatasetRecord[]> => {
  const m = new Map<string, DatasetRecord[]>();
  for (const r of records) m.set(r.task, [...(m.get(r.task) ?? []), r]);
  return m;
};

/**
 * The replay experiment: train the static router on the train split, stream test-split prompts
 * through a gateway (the learning policy), post their real outcomes as feedback, change the task
 * mix at `shift.at`, and compare against the static policy and the best fixed model per window.
 */
export const replay = async (o: ReplayOptions): Promise<ReplayReport> => {
  // The cheap checks first: a bad policy or shift must not wait for the dataset and the training.
  const policy = policyConfigSchema.safeParse(o.policy);
  if (!policy.success) {
    const issue = policy.error.issues[0];
    throw new Error(`--policy: ${issue ? issueText(issue) : 'invalid policy'}`);
  }
  if (o.shift && o.shift.at >= o.requests) throw new Error(`--shift: the shift at request ${o.shift.at} comes after the last of --requests ${o.requests}`);
  const { train, test, how } = splitRecords(await loadDataset(o.data), 'file');
  const tasks = byTask(test);
  const mix = o.mix ?? Object.fromEntries([...tasks].map(([t, rs]) => [t, rs.length]));
  const stream = buildStream(tasks, o.requests, mix, o.shift, seededRandom(o.seed));
  const preparedTrain = prepareRecords(train, o.prices);
  const models = modelsOf(preparedTrain);
  if (models.length === 0) throw new Error(`${o.data}: no model has both a score and a cost (give --prices for sets without cost_usd)`);
  const router = trainRouter(preparedTrain);
  const prepared = new Map(prepareRecords([...new Set(stream)], o.prices).map((p) => [p.id, p]));
  const staticChoice = (r: DatasetRecord): string => {
    const p = prepared.get(r.id);
    return (p && chooseByFloor(predict(router, p), o.staticFloor)?.model) ?? models[0] ?? '';
  };
  // A λ given in --gateway-config wins over --lambda (it is the more specific request).
  const learningConfig = o.gatewayConfig?.['learning'] as Record<string, unknown> | undefined;
  const given = typeof learningConfig?.['lambda'] === 'number' ? learningConfig['lambda'] : undefined;
  const lambda = given ?? (o.lambda === 'auto' ? lambdaForCostPerSuccess(preparedTrain, models) : o.lambda);
  // The stream samples prompts with replacement: a prompt coming back is a new draw, not a person
  // regenerating an answer, so no `regenerated` signals (the feedback is the dataset's outcomes).
  const extra = { ...o.gatewayConfig, learning: { retryWindowMs: 0, ...learningConfig, lambda } };
  const gateway = o.url ? undefined : await startReplayGateway({ data: o.data, models, prices: o.prices, policy: o.policy, extra });
  o.onStart?.(stream.length);
  try {
    const loop = await runReplayLoop({
      url: o.url ?? gateway?.url ?? '', route: o.route ?? REPLAY_ROUTE, apiKey: o.apiKey, stream, staticChoice,
      feedbackDelay: o.feedbackDelay, feedbackRate: o.feedbackRate, feedbackMetric: o.feedbackMetric, driftEvery: o.driftEvery,
      random: seededRandom(o.seed + 1), onProgress: o.onProgress,
    });
    const shiftAt = o.shift?.at ?? null;
    const versions = gateway ? (await gateway.policyVersions.list(REPLAY_ROUTE)).reverse() : [];
    const requestAt = (ts: number): number => {
      const i = loop.answeredAt.findIndex((t) => t >= ts);
      return i < 0 ? loop.answeredAt.length - 1 : i;
    };
    const summary = summariseReplay(loop.steps, { window: o.window, shiftAt, floor: o.bestFloor });
    const at = shiftAt ?? 0;
    return {
      data: o.data, requests: stream.length, mix, shift: o.shift ?? null, seed: o.seed, lambda,
      policies: { learning: o.policy, static: { type: 'envelope', qualityFloor: o.staticFloor, trainedOn: `${preparedTrain.length} prompts (${how})` }, bestFixed: { qualityFloor: o.bestFloor } },
      feedback: { delay: o.feedbackDelay, rate: o.feedbackRate, metric: o.feedbackMetric, posted: loop.feedbackPosted, rejected: loop.feedbackRejected },
      // A change of task mix is a feature drift: latency alarms (noise at simulated zero latency) do not count.
      driftDetectedAt: shiftAt === null ? null : (loop.driftEvents.find((e) => e.at >= shiftAt && e.kind === 'features')?.at ?? null),
      driftEvents: loop.driftEvents, errors: loop.errors,
      policyVersions: versions.map((v) => ({ kind: v.kind, status: v.status, at: requestAt(v.created) })),
      before: shiftAt === null ? null : windowOf(loop.steps, 0, at, o.bestFloor),
      after: shiftAt === null ? null : windowOf(loop.steps, at, loop.steps.length, o.bestFloor),
      ...summary,
    };
  } finally {
    await gateway?.close();
  }
};
