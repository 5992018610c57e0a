import { panelAccepts, panelVerdictOf, textKey } from '../routing/scorers/answer-key.js';
import { cascadeChains, type CascadeInputs, type CascadePoint } from './cascade-curve.js';
import type { PreparedRecord } from './prepare-records.js';

/** The gateway's default `panel.maxAnswerChars` (src/routing/policy-config.ts). */
export const PANEL_MAX_ANSWER_CHARS = 200;

export interface PanelInputs extends Omit<CascadeInputs, 'score'> {
  /** A model's recorded answer text to the prompt; undefined when the set has none. */
  answer(recordId: string, model: string): string | undefined;
}

export interface PanelConfig {
  /** Cheapest first on train, as the gateway's cheapest-first order asks them. */
  members: string[];
  strong: string;
  incomparable: 'escalate' | 'accept';
}

/**
 * The panels the sweep replays: every set of two or three models cheaper than the strong one on
 * train (the strong model is the best on train), each with both `incomparable` settings.
 */
/** Every set of two or three of `models`, each in their order. */
export const pairsAndTriples = (models: readonly string[]): string[][] => {
  const sets: string[][] = [];
  models.forEach((a, i) => models.slice(i + 1).forEach((b, j) => {
    sets.push([a, b]);
    for (const c of models.slice(i + j + 2)) sets.push([a, b, c]);
  }));
  return sets;
};

export const panelConfigs = (inputs: Omit<CascadeInputs, 'score'>): PanelConfig[] => {
  const chains = cascadeChains(inputs);
  if (!chains) return [];
  const cheap = [...chains.cheap].sort((a, b) => (inputs.trainCost.get(a) ?? 0) - (inputs.trainCost.get(b) ?? 0));
  return pairsAndTriples(cheap).flatMap((members) => (['escalate', 'accept'] as const).map((incomparable) => ({ members, strong: chains.strong, incomparable })));
};

/** A config's name on the curve: `a+b>strong`, and ` (free text: accept)` when that is its setting. */
export const panelName = (c: PanelConfig): string => `${c.members.join('+')}>${c.strong}${c.incomparable === 'accept' ? ' (free text: accept)' : ''}`;

/** What a panel did on one prompt: whether its first answer stands (and whose), and what the members cost. */
export interface PanelRun {
  accepted: boolean;
  first: string | undefined;
  cost: number;
}

/** A recorded answer's key (null: none, or no text); see answerKeys. */
export type KeyOf = (recordId: string, model: string) => string | null;

/**
 * The recorded answers' keys under the gateway's own answerKey rules (maxAnswerChars 200), each
 * text's computed once: a sweep replays the same answers for every panel it tries.
 */
export const answerKeys = (answer: PanelInputs['answer']): KeyOf => {
  const memo = new Map<string, string | null>();
  return (id, model) => {
    const text = answer(id, model);
    if (text === undefined) return null;
    let key = memo.get(text);
    if (key === undefined) memo.set(text, (key = textKey(text, PANEL_MAX_ANSWER_CHARS)));
    return key;
  };
};

/**
 * A panel on one recorded prompt, as the gateway runs it: every member answers (each billed), the
 * recorded answers' keys (answerKeys) give the same verdict as there (panelVerdictOf,
 * panelAccepts). A member without a recorded outcome for the prompt did not answer (no cost); a
 * member without an answer text has no key.
 */
export const runPanel = (r: PreparedRecord, members: readonly string[], incomparable: PanelConfig['incomparable'], keyOf: KeyOf): PanelRun => {
  const keys: (string | null)[] = [];
  let first: string | undefined;
  let cost = 0;
  for (const m of members) {
    if (!r.quality.has(m)) continue;
    first ??= m;
    cost += r.costUsd.get(m) ?? 0;
    keys.push(keyOf(r.id, m));
  }
  return { accepted: panelAccepts(panelVerdictOf(keys, members.length), keys.length, incomparable), first, cost };
};

/**
 * One prompt after its panel ran: the first member's answer when the panel accepts, else
 * `fallback`'s, billed on top of the members.
 */
export const afterPanel = (r: PreparedRecord, run: PanelRun, fallback: string): { quality: number; cost: number; escalated: boolean } =>
  run.accepted && run.first !== undefined
    ? { quality: r.quality.get(run.first) ?? 0, cost: run.cost, escalated: false }
    : { quality: r.quality.get(fallback) ?? 0, cost: run.cost + (r.costUsd.get(fallback) ?? 0), escalated: true };

/**
 * The cascade's panel replayed offline (runPanel): the first member's answer stands when the panel
 * accepts, else the strong model answers and is billed too. One curve point per panel (param 0:
 * escalate free text, 1: accept it).
 */
export const panelCurve = (records: readonly PreparedRecord[], inputs: PanelInputs, configs: readonly PanelConfig[] = panelConfigs(inputs)): CascadePoint[] => {
  const keyOf = answerKeys(inputs.answer);
  return configs.map((c) => ({ chain: panelName(c), param: c.incomparable === 'accept' ? 1 : 0, ...replayPanel(records, c, keyOf) }));
};

/** One panel over `records`: mean quality, total cost and the share of prompts escalated to `config.strong`. */
export const replayPanel = (records: readonly PreparedRecord[], config: PanelConfig, keyOf: KeyOf): { quality: number; cost_usd: number; escalated: number } => {
  let quality = 0;
  let cost = 0;
  let escalated = 0;
  for (const r of records) {
    const o = afterPanel(r, runPanel(r, config.members, config.incomparable, keyOf), config.strong);
    quality += o.quality;
    cost += o.cost;
    if (o.escalated) escalated += 1;
  }
  const n = Math.max(1, records.length);
  return { quality: quality / n, cost_usd: cost, escalated: escalated / n };
};
