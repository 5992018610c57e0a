import { chooseByUtility, type Prediction } from '../routing/choose-target.js';
import type { CascadePoint } from './cascade-curve.js';
import { afterPanel, answerKeys, runPanel, type PanelConfig, type PanelInputs } from './panel-curve.js';
import type { PreparedRecord } from './prepare-records.js';

/** A panel's name on the `utility+panel` curve: its members, and ` (free text: accept)` when that is its setting. */
export const guardName = (c: PanelConfig): string => `${c.members.join('+')}${c.incomparable === 'accept' ? ' (free text: accept)' : ''}`;

/**
 * `utility` with a panel in front of its expensive choices — the envelope policy's `panel`
 * (src/routing/policies/panel-guard.ts) — replayed offline: each prompt's utility choice at λ from
 * `preds`; when the choice is not a member and is predicted to cost more than the members together,
 * the panel runs first (runPanel, billed): its first answer stands when it accepts, else the choice
 * answers (billed too). One point per (panel, λ): param is λ, chain the panel's name.
 */
export const guardedUtilitySweep = (
  records: readonly PreparedRecord[], predsById: ReadonlyMap<string, Prediction[]>, lambdas: readonly number[],
  configs: readonly PanelConfig[], answer: PanelInputs['answer'],
): CascadePoint[] => {
  const preds = records.map((r) => predsById.get(r.id) ?? []);
  // The choice per λ and prompt does not depend on the panel: once.
  const choices = lambdas.map((lambda) => preds.map((ps) => chooseByUtility(ps, lambda)));
  const n = Math.max(1, records.length);
  const keyOf = answerKeys(answer);
  const points: CascadePoint[] = [];
  for (const c of configs) {
    const runs = records.map((r) => runPanel(r, c.members, c.incomparable, keyOf));
    const memberCost = preds.map((ps) => {
      let sum = 0;
      for (const m of c.members) {
        const p = ps.find((x) => x.model === m);
        if (!p) return undefined;
        sum += p.costUsd;
      }
      return sum;
    });
    lambdas.forEach((lambda, li) => {
      let quality = 0;
      let cost = 0;
      let escalated = 0;
      records.forEach((r, i) => {
        const choice = choices[li]?.[i];
        if (!choice) return;
        const members = memberCost[i];
        const run = runs[i];
        if (run && members !== undefined && choice.costUsd > members && !c.members.includes(choice.model)) {
          const o = afterPanel(r, run, choice.model);
          quality += o.quality;
          cost += o.cost;
          if (o.escalated) escalated += 1;
          return;
        }
        quality += r.quality.get(choice.model) ?? 0;
        cost += r.costUsd.get(choice.model) ?? 0;
      });
      points.push({ chain: guardName(c), param: lambda, quality: quality / n, cost_usd: cost, escalated: escalated / n });
    });
  }
  return points;
};
