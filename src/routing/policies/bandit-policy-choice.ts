import type { Target } from '../../spec/catalog.js';
import { thompsonDraw, thompsonProbability } from './bandit-policy-thompson.js';

/** One candidate as the bandit sees it on a request: learned quality, known cost. */
export interface ScoredArm {
  target: Target;
  /** Predicted quality θᵀx and its confidence width. */
  mean: number;
  width: number;
  /** λ·cost: the reward's cost penalty, known before the call (price × expected tokens). */
  penalty: number;
  costMicroUsd: number;
}

export interface ArmChoice {
  chosen: ScoredArm;
  propensity: number;
  reason: string;
  /** Safe candidates that can still win (the ones exploration draws from). */
  plausible: number;
}

export interface ChoiceSettings {
  floor: number;
  /** Caution of the safety bound, optimism of the greedy choice, confidence of elimination (widths). */
  beta: number;
  alpha: number;
  elimination: number;
  epsilon: number;
  /** How the non-uniform pick is made: optimism (UCB) or a posterior draw (Thompson sampling). */
  exploration: 'ucb' | 'thompson';
  /** Thompson: posterior standard deviation of quality, in standard errors (width·√(q̂(1 − q̂))). */
  thompsonScale: number;
}

const clamp01 = (q: number): number => Math.min(1, Math.max(0, q));

export const lowerBound = (s: ScoredArm, beta: number): number => s.mean - beta * s.width;

/**
 * Chooses an arm. Only quality is uncertain — it lies in [0, 1] — and the cost penalty is known, so
 * an arm's reward is at most min(1, q̂ + e·width) − λ·cost. An arm whose optimistic reward is below
 * the best safe arm's pessimistic reward (max(0, q̂ − e·width) − λ·cost) cannot win: it is neither
 * chosen nor explored. That is what keeps a GPT-4-class arm (one pick costs 50–90 answers of a
 * small model) out of the exploration when λ makes it hopeless, without a rule naming any model.
 *
 * Among the *plausible* safe arms the pick is either optimistic — the arm maximising
 * min(1, q̂ + α·width) − λ·cost (`ucb`) — or a posterior draw (`thompson`, see
 * bandit-policy-thompson.ts); with probability ε a uniform plausible arm is drawn instead. The
 * propensity is (1 − ε)·P(pick) + ε/|plausible|: P(pick) is 1 or 0 for UCB and the
 * probability that the arm has the best posterior draw for Thompson (bandit-policy-thompson.ts), computed when
 * first read (the decision log, after the answer), not while choosing. Everything not plausible has 0.
 * With no safe arm, the one with the best lower bound is served, deterministically.
 */
export const chooseArm = (scored: readonly ScoredArm[], s: ChoiceSettings, random: () => number): ArmChoice => {
  const safe = scored.filter((a) => lowerBound(a, s.beta) >= s.floor);
  if (safe.length === 0) {
    const chosen = scored.reduce((best, a) => (lowerBound(a, s.beta) > lowerBound(best, s.beta) ? a : best));
    return { chosen, propensity: 1, reason: `no-candidate-meets-floor:${s.floor}`, plausible: 0 };
  }
  let bar = -Infinity;
  for (const a of safe) bar = Math.max(bar, clamp01(a.mean - s.elimination * a.width) - a.penalty);
  const plausible = safe.filter((a) => clamp01(a.mean + s.elimination * a.width) - a.penalty >= bar);
  const epsilon = plausible.length > 1 ? Math.min(1, s.epsilon) : 0;
  const explore = epsilon > 0 && random() < epsilon;
  const uniformIndex = (): number => Math.min(plausible.length - 1, Math.floor(random() * plausible.length));
  if (s.exploration === 'thompson') {
    const index = explore ? uniformIndex() : thompsonDraw(plausible, s.thompsonScale, random);
    const chosen = plausible[index] as ScoredArm;
    // The pick probability is an integral over the plausible arms (the dearest step of the plan) and
    // only the decision log reads it, after the answer: computed on first read, from this plan's arms.
    return new ThompsonChoice(chosen, explore ? 'explore' : 'thompson', plausible.length,
      () => (1 - epsilon) * thompsonProbability(plausible, index, s.thompsonScale) + epsilon / plausible.length);
  }
  const ucb = (a: ScoredArm): number => Math.min(1, a.mean + s.alpha * a.width) - a.penalty;
  const greedy = plausible.reduce((best, a) => (ucb(a) > ucb(best) ? a : best));
  const chosen = explore ? (plausible[uniformIndex()] as ScoredArm) : greedy;
  const propensity = (chosen === greedy ? 1 - epsilon : 0) + epsilon / plausible.length;
  return { chosen, propensity, reason: explore ? 'explore' : 'ucb', plausible: plausible.length };
};

/**
 * Thompson's choice, its propensity computed on first read. A class with the getter on its
 * prototype: an object literal with a getter is a dictionary-mode object in V8 (slower reads).
 */
class ThompsonChoice {
  #propensity: number | undefined;
  readonly #compute: () => number;

  constructor(readonly chosen: ScoredArm, readonly reason: string, readonly plausible: number, compute: () => number) {
    this.#compute = compute;
  }

  get propensity(): number {
    return (this.#propensity ??= this.#compute());
  }
}
