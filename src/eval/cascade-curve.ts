import type { CurvePoint } from './routing-metrics.js';
import type { PreparedRecord } from './prepare-records.js';
import { routeOutcome } from './route-outcome.js';

/**
 * The `cascade` policy replayed offline, as the gateway runs it (src/routing/policies/cascade-policy.ts
 * over a route's candidates cheapest first, src/gateway/run-fallback-chain.ts): each model in the
 * chain answers in turn, a scorer reads the answer (P(acceptable), from the answer's text: the
 * learning estimator), and below the one threshold the prompt escalates to the next model, paying
 * for every answer; the last model's answer stands. Chains end with the strong model (the best on
 * the train split) and start with one or two models cheaper than it on train, in order of train
 * cost; one curve point per (chain, threshold).
 */
export interface CascadeInputs {
  /** P(acceptable) of model's recorded answer to the prompt; undefined when there is no answer text. */
  score(recordId: string, model: string): number | undefined;
  /** Mean quality and mean cost per model on the train split (they choose the chain, never test). */
  trainQuality: ReadonlyMap<string, number>;
  trainCost: ReadonlyMap<string, number>;
}

export interface CascadePoint extends CurvePoint {
  /** The models in the order they answer: `cheap>strong`, `cheap>mid>strong`. */
  chain: string;
  /** Share of the prompts that reached the last (strong) model. */
  escalated: number;
}

/** Score thresholds swept by the threshold policies (classifier, cascade): 0 to 1 by 0.025. */
export const THRESHOLDS = Array.from({ length: 41 }, (_, i) => Number((i / 40).toFixed(3)));

/** The strong model (best train quality) and the cheaper ones it backs (train cost below its own). */
export const cascadeChains = (inputs: Omit<CascadeInputs, 'score'>): { strong: string; cheap: string[] } | null => {
  const models = [...inputs.trainQuality.keys()].filter((m) => inputs.trainCost.has(m));
  if (models.length < 2) return null;
  const strong = models.reduce((a, b) => ((inputs.trainQuality.get(b) ?? 0) > (inputs.trainQuality.get(a) ?? 0) ? b : a));
  const strongCost = inputs.trainCost.get(strong) ?? 0;
  const cheap = models.filter((m) => m !== strong && (inputs.trainCost.get(m) ?? Infinity) < strongCost);
  return cheap.length > 0 ? { strong, cheap } : null;
};

/** Every chain the sweep replays: one or two cheaper models (cheapest first on train), then the strong one. */
export const cascadeChainList = (inputs: CascadeInputs): string[][] => {
  const chains = cascadeChains(inputs);
  if (!chains) return [];
  const { strong, cheap } = chains;
  const cost = (m: string): number => inputs.trainCost.get(m) ?? Infinity;
  return [
    ...cheap.map((c) => [c, strong]),
    ...cheap.flatMap((a) => cheap.filter((b) => cost(a) < cost(b)).map((b) => [a, b, strong])),
  ];
};

/**
 * Every (chain, threshold) point on the test prompts. A prompt without a model's answer text
 * (nothing to score) or score passes that step unbilled, to the next model; a prompt without a
 * recorded outcome for the model that answers it scores 0 and costs nothing, as in every eval curve.
 */
export const cascadeCurve = (test: readonly PreparedRecord[], inputs: CascadeInputs, thresholds: readonly number[] = THRESHOLDS): CascadePoint[] => {
  const points: CascadePoint[] = [];
  for (const chain of cascadeChainList(inputs)) {
    const last = chain[chain.length - 1] as string;
    const steps = chain.slice(0, -1);
    // Each step's score of each prompt, once per chain (not once per threshold).
    const scores = steps.map((m) => test.map((r) => (r.quality.has(m) ? inputs.score(r.id, m) : undefined)));
    for (const t of thresholds) {
      let quality = 0;
      let cost = 0;
      let escalated = 0;
      test.forEach((r, i) => {
        for (let k = 0; k < steps.length; k++) {
          const m = steps[k] as string;
          const s = scores[k]?.[i];
          if (s === undefined) continue;
          cost += r.costUsd.get(m) ?? 0;
          if (s >= t) {
            quality += r.quality.get(m) ?? 0;
            return;
          }
        }
        escalated += 1;
        quality += r.quality.get(last) ?? 0;
        cost += r.costUsd.get(last) ?? 0;
      });
      const n = Math.max(1, test.length);
      points.push({ chain: chain.join('>'), param: t, quality: quality / n, cost_usd: cost, escalated: escalated / n });
    }
  }
  return points;
};

/** The points no other point beats on both cost and quality, cheapest first (what a plot of many chains shows). */
export const paretoFront = <P extends CurvePoint>(points: readonly P[]): P[] => {
  const byCost = [...points].sort((a, b) => a.cost_usd - b.cost_usd || b.quality - a.quality);
  const front: P[] = [];
  for (const p of byCost) if (front.length === 0 || p.quality > (front[front.length - 1]?.quality ?? -Infinity)) front.push(p);
  return front;
};

export interface CascadeOperatingPoint {
  chain: string;
  threshold: number;
  /** Out-of-fold on train, then on test: quality and cost ÷ the strong model's. */
  trainCv: { quality: number; costRatio: number };
  test: { quality: number; costRatio: number } | null;
}

/**
 * Cascade operating points chosen on the TRAIN split alone (answers scored out of fold): the cheapest
 * (chain, threshold) reaching the strong model's train quality, and the best quality within
 * `costShare` of its cost — then what each gives on `testCurve` (the test split's `cascadeCurve`). What a
 * deployment would configure.
 */
export const chooseCascadePoints = (
  train: readonly PreparedRecord[], trainInputs: CascadeInputs, test: readonly PreparedRecord[], testCurve: readonly CascadePoint[], costShare: number,
): ChosenPoints | null => {
  const chains = cascadeChains(trainInputs);
  return chains ? chooseOnTrain({ strong: chains.strong, train, test, trainCurve: cascadeCurve(train, trainInputs), testCurve, costShare }) : null;
};

export interface ChosenPoints {
  strong: string;
  reachBest: CascadeOperatingPoint | null;
  withinShare: CascadeOperatingPoint | null;
}

/**
 * From a curve replayed on the train split: the cheapest point reaching the strong model's train
 * quality and the best quality within `costShare` of its train cost; each with what the same point
 * (chain and param) gives on the test curve.
 */
export const chooseOnTrain = (o: {
  strong: string; train: readonly PreparedRecord[]; test: readonly PreparedRecord[];
  trainCurve: readonly CascadePoint[]; testCurve: readonly CascadePoint[]; costShare: number;
}): ChosenPoints => {
  const [strongTrain, strongTest] = [routeOutcome(o.train, () => o.strong), routeOutcome(o.test, () => o.strong)];
  const [trainCost, testCost, strongQuality] = [strongTrain.cost_usd || 1e-12, strongTest.cost_usd || 1e-12, strongTrain.quality];
  const onTest = (p: CascadePoint): CascadeOperatingPoint => {
    const t = o.testCurve.find((x) => x.chain === p.chain && x.param === p.param);
    return { chain: p.chain, threshold: p.param, trainCv: { quality: p.quality, costRatio: p.cost_usd / trainCost }, test: t ? { quality: t.quality, costRatio: t.cost_usd / testCost } : null };
  };
  let reachBest: CascadePoint | null = null;
  let withinShare: CascadePoint | null = null;
  for (const p of o.trainCurve) {
    if (p.quality >= strongQuality - 1e-9 && (!reachBest || p.cost_usd < reachBest.cost_usd)) reachBest = p;
    if (p.cost_usd / trainCost <= o.costShare && (!withinShare || p.quality > withinShare.quality)) withinShare = p;
  }
  return { strong: o.strong, reachBest: reachBest ? onTest(reachBest) : null, withinShare: withinShare ? onTest(withinShare) : null };
};
