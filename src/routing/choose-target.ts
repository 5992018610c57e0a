/** A candidate's predictions, as the choice rules read them. */
export interface Prediction {
  /** Model (offline) or target (gateway) id. */
  model: string;
  pQuality: number;
  costUsd: number;
}

/**
 * The envelope choice: the cheapest model whose predicted quality meets the floor; when none
 * does, the one most likely to be good. Errors lean cheap only as far as the floor allows.
 */
export const chooseByFloor = (preds: readonly Prediction[], floor: number): Prediction | undefined => {
  let best: Prediction | undefined;
  for (const p of preds) if (p.pQuality >= floor && (!best || p.costUsd < best.costUsd)) best = p;
  if (best) return best;
  for (const p of preds) if (!best || p.pQuality > best.pQuality) best = p;
  return best;
};

/**
 * The utility choice: maximise P(quality) − λ·cost. Sweeping λ from 0 (quality at any price) up
 * traces the cost–quality trade-off; unlike a hard floor it never takes a cheap model whose small
 * saving is not worth its lost quality.
 */
export const chooseByUtility = (preds: readonly Prediction[], lambda: number): Prediction | undefined => {
  let best: Prediction | undefined;
  let bestU = -Infinity;
  for (const p of preds) {
    const u = p.pQuality - lambda * p.costUsd;
    if (u > bestU) {
      best = p;
      bestU = u;
    }
  }
  return best;
};
