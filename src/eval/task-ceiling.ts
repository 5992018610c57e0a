import { answerKeys, pairsAndTriples, replayPanel, type PanelConfig, type PanelInputs } from './panel-curve.js';
import { routeOutcome } from './route-outcome.js';
import type { PreparedRecord } from './prepare-records.js';
import { hullAt, upperHull } from './routing-metrics.js';

/**
 * A ceiling, not a policy: what routing could reach on a split if it knew each prompt's dataset
 * task and picked, per task and with hindsight on that very split, the best of every single model
 * and (when the set has answer texts) every panel of two or three models that escalates to any
 * other model, mixing two of them where that pays. Quality counts each prompt's own outcome, so
 * nothing here is predicted: a policy that only learns which kind of prompt it has, and asks
 * cheap models whether they agree, cannot do better than this on the split. It is what limits
 * the RouterBench target (docs/routing.md).
 */
export interface CeilingOption {
  /** A model id, or `first+other[+third]>escalation (free text: accept|escalate)` for a panel. */
  name: string;
  /** Mean quality over the task's prompts. */
  quality: number;
  cost_usd: number;
}

export interface TaskCeiling {
  task: string;
  n: number;
  /** The reference model on this task's prompts. */
  reference: CeilingOption;
  /** The task's cost–quality frontier with mixing (its upper hull), cheapest first. */
  hull: CeilingOption[];
}

export interface Ceiling {
  costShare: number;
  /** The best single model on the split, which the budget and the quality to reach are taken from. */
  reference: string;
  /** Mean quality over the split within costShare × the reference's cost (hull: the budget split across tasks at best). */
  qualityAtShare: number;
  /** The least cost reaching the reference's quality, as a share of its cost; null when no mix reaches it. */
  costShareAtReferenceQuality: number | null;
  /** Whether panels were among the options (the set has answer texts). */
  panels: boolean;
  tasks: TaskCeiling[];
}

/** Every panel the ceiling tries: 2–3 of the models (any one of them answering first), escalating to any model outside it, with either free-text setting. */
const panelsOf = (models: readonly string[]): PanelConfig[] =>
  pairsAndTriples(models).flatMap((set) => set.flatMap((first) => {
    const members = [first, ...set.filter((m) => m !== first)];
    return models.filter((m) => !set.includes(m)).flatMap((strong) => (['escalate', 'accept'] as const).map((incomparable) => ({ members, strong, incomparable })));
  }));

const optionsOf = (records: readonly PreparedRecord[], models: readonly string[], answer: PanelInputs['answer'] | undefined): CeilingOption[] => {
  const options: CeilingOption[] = models.map((m) => ({ name: m, ...routeOutcome(records, () => m) }));
  if (!answer) return options;
  const keyOf = answerKeys(answer);
  for (const c of panelsOf(models)) {
    const { quality, cost_usd } = replayPanel(records, c, keyOf);
    options.push({ name: `${c.members.join('+')}>${c.strong} (free text: ${c.incomparable})`, quality, cost_usd });
  }
  return options;
};

/**
 * The split's combined hull: each task's hull in prompt-weighted quality, their steps taken
 * steepest first (the best way to spend any budget across tasks when each task can be mixed).
 */
const combinedHull = (tasks: readonly TaskCeiling[], total: number): Array<{ cost_usd: number; quality: number }> => {
  let cost = 0;
  let quality = 0;
  const steps: Array<{ dc: number; dq: number }> = [];
  for (const t of tasks) {
    const w = t.n / total;
    const [first, ...rest] = t.hull;
    if (!first) continue;
    cost += first.cost_usd;
    quality += w * first.quality;
    let prev = first;
    for (const p of rest) {
      steps.push({ dc: p.cost_usd - prev.cost_usd, dq: w * (p.quality - prev.quality) });
      prev = p;
    }
  }
  steps.sort((a, b) => b.dq / b.dc - a.dq / a.dc);
  const points = [{ cost_usd: cost, quality }];
  for (const s of steps) points.push({ cost_usd: (cost += s.dc), quality: (quality += s.dq) });
  return points;
};

/** The cheapest cost on a hull reaching `quality` (linear between its points); null when it never does. */
const costAt = (hull: ReadonlyArray<{ cost_usd: number; quality: number }>, quality: number): number | null => {
  for (let i = 0; i < hull.length; i++) {
    const b = hull[i]!;
    if (b.quality < quality - 1e-12) continue;
    const a = hull[i - 1];
    return a ? a.cost_usd + ((b.cost_usd - a.cost_usd) * (quality - a.quality)) / (b.quality - a.quality || 1) : b.cost_usd;
  }
  return null;
};

export const taskCeiling = (records: readonly PreparedRecord[], models: readonly string[], reference: string, costShare: number, answer?: PanelInputs['answer']): Ceiling => {
  const byTask = new Map<string, PreparedRecord[]>();
  for (const r of records) {
    const rs = byTask.get(r.task);
    if (rs) rs.push(r);
    else byTask.set(r.task, [r]);
  }
  const tasks: TaskCeiling[] = [...byTask].map(([task, rs]) => {
    const options = optionsOf(rs, models, answer);
    const ref = options.find((o) => o.name === reference) ?? { name: reference, quality: 0, cost_usd: 0 };
    return { task, n: rs.length, reference: ref, hull: upperHull(options) };
  });
  const combined = combinedHull(tasks, Math.max(1, records.length));
  const { quality: refQuality, cost_usd: refCost } = routeOutcome(records, () => reference);
  const reach = costAt(combined, refQuality);
  return {
    costShare, reference, panels: answer !== undefined, tasks,
    qualityAtShare: hullAt(combined, costShare * refCost),
    costShareAtReferenceQuality: reach === null || refCost <= 0 ? null : reach / refCost,
  };
};
