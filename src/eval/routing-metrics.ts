export interface CurvePoint {
  cost_usd: number;
  quality: number;
  param: number;
}

/**
 * The non-decreasing convex hull of a cost–quality curve (RouterBench): keep the upper-left
 * frontier (more quality never costs less), then its concave upper hull, since mixing two routing
 * configurations at random reaches any point on the segment between them.
 */
export const upperHull = <P extends { cost_usd: number; quality: number }>(points: readonly P[]): P[] => {
  const sorted = [...points].sort((a, b) => a.cost_usd - b.cost_usd || b.quality - a.quality);
  const frontier: P[] = [];
  for (const p of sorted) if (frontier.length === 0 || p.quality > (frontier.at(-1)?.quality ?? -Infinity)) frontier.push(p);
  const hull: P[] = [];
  for (const p of frontier) {
    while (hull.length >= 2) {
      const a = hull[hull.length - 2]!;
      const b = hull[hull.length - 1]!;
      const cross = (b.cost_usd - a.cost_usd) * (p.quality - a.quality) - (b.quality - a.quality) * (p.cost_usd - a.cost_usd);
      if (cross >= 0) hull.pop();
      else break;
    }
    hull.push(p);
  }
  return hull;
};

/** Hull quality at a cost: linear between hull points, flat after the last, undefined (0) before the first. */
export const hullAt = (hull: ReadonlyArray<{ cost_usd: number; quality: number }>, c: number): number => {
  const first = hull[0];
  if (!first || c < first.cost_usd) return 0;
  for (let i = 1; i < hull.length; i++) {
    const a = hull[i - 1]!;
    const b = hull[i]!;
    if (c <= b.cost_usd) return a.quality + ((b.quality - a.quality) * (c - a.cost_usd)) / (b.cost_usd - a.cost_usd || 1);
  }
  return hull.at(-1)?.quality ?? 0;
};

/**
 * AIQ (RouterBench's average improvement in quality): the area under the non-decreasing convex
 * hull over the cost range [minCost, maxCost], divided by that range. Every policy uses the same
 * range (the single models' cheapest to dearest), so AIQs compare.
 */
export const aiq = (curve: readonly CurvePoint[], minCost: number, maxCost: number, steps = 2_000): number => {
  const hull = upperHull(curve);
  if (hull.length === 0 || maxCost <= minCost) return 0;
  let area = 0;
  const dc = (maxCost - minCost) / steps;
  for (let i = 0; i < steps; i++) area += hullAt(hull, minCost + (i + 0.5) * dc) * dc;
  return area / (maxCost - minCost);
};

/** The cheapest point reaching `quality`, as a ratio of `referenceCost`; null if never reached. */
export const costRatioAtQuality = (curve: readonly CurvePoint[], quality: number, referenceCost: number): number | null => {
  const reaching = curve.filter((p) => p.quality >= quality - 1e-9);
  if (reaching.length === 0 || referenceCost <= 0) return null;
  return Math.min(...reaching.map((p) => p.cost_usd)) / referenceCost;
};

/** The best quality among points that cost at most `cost`; null if none does. */
export const qualityAtCost = (curve: readonly CurvePoint[], cost: number): number | null => {
  const within = curve.filter((p) => p.cost_usd <= cost + 1e-12);
  return within.length === 0 ? null : Math.max(...within.map((p) => p.quality));
};

/** Single models whose (cost, quality) lies above a policy's hull: where the policy is not at or above the frontier. */
export const modelsAboveCurve = (curve: readonly CurvePoint[], singles: Readonly<Record<string, { cost_usd: number; quality: number }>>): string[] => {
  const hull = upperHull(curve);
  return Object.entries(singles).filter(([, o]) => hullAt(hull, o.cost_usd) < o.quality - 1e-9).map(([m]) => m);
};

/**
 * With mixing (a random share of prompts routed at one operating point, the rest at another, as
 * RouterBench's hull assumes): the least cost on the hull reaching `quality`, as a ratio of
 * `referenceCost`; null if the hull never reaches it.
 */
export const mixedCostRatioAtQuality = (curve: readonly CurvePoint[], quality: number, referenceCost: number): number | null => {
  const hull = upperHull(curve);
  const i = hull.findIndex((p) => p.quality >= quality - 1e-9);
  const b = hull[i];
  if (!b || referenceCost <= 0) return null;
  const a = hull[i - 1];
  const cost = a ? a.cost_usd + ((b.cost_usd - a.cost_usd) * (quality - a.quality)) / (b.quality - a.quality) : b.cost_usd;
  return cost / referenceCost;
};

/** With mixing: the hull's quality at `cost` (null below the cheapest operating point). */
export const mixedQualityAtCost = (curve: readonly CurvePoint[], cost: number): number | null => {
  const hull = upperHull(curve);
  return hull.length === 0 || cost < (hull[0]?.cost_usd ?? 0) ? null : hullAt(hull, cost);
};
