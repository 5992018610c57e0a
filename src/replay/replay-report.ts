/**
 * The replay's report, computed from per-request outcomes: cost per successful completion and
 * quality per window for the learning policy, the static trained policy and the best fixed model
 * in hindsight (the single model that, on the same prompts, had the lowest cost per success among
 * those meeting the quality floor), plus when drift was flagged and when the learning policy
 * recovered.
 */
export interface Outcome {
  model: string;
  quality: number;
  costUsd: number;
}

export interface ReplayStep {
  task: string;
  learning: Outcome | null;
  static: Outcome;
  /** Every model's real outcome on this prompt (the dataset's). */
  perModel: Readonly<Record<string, { quality: number; costUsd: number }>>;
}

export interface PolicyWindow {
  costPerSuccess: number | null;
  quality: number;
  costUsd: number;
}

export interface ReplayWindow {
  from: number;
  to: number;
  taskMix: Record<string, number>;
  learning: PolicyWindow;
  static: PolicyWindow;
  bestFixed: PolicyWindow & { model: string };
  /** Share of the window's answers each model served for the learning policy (where its money went). */
  learningModels: Record<string, number>;
  /** learning cost per success ÷ best fixed cost per success. */
  learningRatio: number | null;
}

export interface ReplaySummary {
  windows: ReplayWindow[];
  recoveredAt: number | null;
  /** The last trailing window (checked every 50 requests after the shift) that was not within 5%: why recovery came when it did, or not at all. */
  lastMiss: { at: number; ratio: number | null; quality: number } | null;
  /** Requests from the shift to recovery. */
  recoveryRequests: number | null;
}

const SUCCESS = 0.5;

const cps = (cost: number, successes: number): number | null => (successes > 0 ? cost / successes : null);

const summarise = (outcomes: ReadonlyArray<{ quality: number; costUsd: number }>): PolicyWindow => {
  let cost = 0;
  let quality = 0;
  let ok = 0;
  for (const o of outcomes) {
    cost += o.costUsd;
    quality += o.quality;
    if (o.quality >= SUCCESS) ok += 1;
  }
  return { costPerSuccess: cps(cost, ok), quality: quality / Math.max(1, outcomes.length), costUsd: cost };
};

/** The single model with the lowest cost per success on `steps` among those meeting `floor` (else the best quality). */
export const bestFixed = (steps: readonly ReplayStep[], floor: number): PolicyWindow & { model: string } => {
  const models = Object.keys(steps[0]?.perModel ?? {});
  const all = models.map((model) => ({ model, ...summarise(steps.map((s) => s.perModel[model] ?? { quality: 0, costUsd: 0 })) }));
  const eligible = all.filter((w) => w.quality >= floor && w.costPerSuccess !== null);
  if (eligible.length === 0) return all.reduce((a, b) => (b.quality > a.quality ? b : a), all[0] ?? { model: '', costPerSuccess: null, quality: 0, costUsd: 0 });
  return eligible.reduce((a, b) => ((b.costPerSuccess ?? Infinity) < (a.costPerSuccess ?? Infinity) ? b : a));
};

const sharesOf = (keys: readonly string[]): Record<string, number> => {
  const mix: Record<string, number> = {};
  for (const k of keys) mix[k] = (mix[k] ?? 0) + 1 / keys.length;
  for (const k of Object.keys(mix)) mix[k] = Number((mix[k] ?? 0).toFixed(3));
  return mix;
};

export const windowOf = (steps: readonly ReplayStep[], from: number, to: number, floor: number): ReplayWindow => {
  const slice = steps.slice(from, to);
  const learning = summarise(slice.flatMap((s) => (s.learning ? [s.learning] : [])));
  const best = bestFixed(slice, floor);
  const ratio = learning.costPerSuccess !== null && best.costPerSuccess ? learning.costPerSuccess / best.costPerSuccess : null;
  const served = slice.flatMap((s) => (s.learning ? [s.learning.model] : []));
  return { from, to, taskMix: sharesOf(slice.map((s) => s.task)), learning, static: summarise(slice.map((s) => s.static)), bestFixed: best, learningModels: sharesOf(served), learningRatio: ratio };
};

/**
 * Recovery: the first request r ≥ `shiftAt` such that every trailing window of `window` requests
 * ending at r or later (checked every `every` requests) has the learning policy's cost per success
 * within `tolerance` of the best fixed model's on the same prompts, at a quality of at least the
 * floor the best fixed model had to meet (being cheap by answering badly is not recovering).
 * Null when it never settles.
 */
export const recoveredAt = (steps: readonly ReplayStep[], shiftAt: number, window: number, every: number, floor: number, tolerance = 0.05): Pick<ReplaySummary, 'recoveredAt' | 'lastMiss'> => {
  let candidate: number | null = null;
  let lastMiss: ReplaySummary['lastMiss'] = null;
  for (let end = shiftAt + every; end <= steps.length; end += every) {
    const from = Math.max(shiftAt, end - window);
    const w = windowOf(steps, from, end, floor);
    const within = w.learningRatio !== null && w.learningRatio <= 1 + tolerance && w.learning.quality >= Math.min(floor, w.bestFixed.quality);
    if (within && candidate === null) candidate = end;
    if (!within) {
      candidate = null;
      lastMiss = { at: end, ratio: w.learningRatio, quality: w.learning.quality };
    }
  }
  return { recoveredAt: candidate, lastMiss };
};

export const summariseReplay = (
  steps: readonly ReplayStep[],
  options: { window: number; shiftAt: number | null; floor: number; every?: number },
): ReplaySummary => {
  const windows: ReplayWindow[] = [];
  for (let from = 0; from < steps.length; from += options.window) windows.push(windowOf(steps, from, Math.min(steps.length, from + options.window), options.floor));
  const r = options.shiftAt === null ? { recoveredAt: null, lastMiss: null } : recoveredAt(steps, options.shiftAt, options.window, options.every ?? 50, options.floor);
  const at = r.recoveredAt;
  return { windows, ...r, recoveryRequests: at === null || options.shiftAt === null ? null : at - options.shiftAt };
};
