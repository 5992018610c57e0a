import { paretoFront } from './cascade-curve.js';
import type { EvalReport } from './evaluate-routing.js';

/** Cost–quality curves of every policy against the single models and the oracle, as SVG (vega-lite). */
export const plotCurves = async (report: EvalReport, title: string): Promise<string> => {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  // A cascade's (or panel's) points come from several chains: its Pareto front, in cost order, is the line.
  const curves = Object.entries(report.policies).flatMap(([policy, r]) =>
    (policy === 'cascade' || policy === 'panel' ? paretoFront(r.curve).map((p, i) => ({ ...p, param: i })) : r.curve).map((p) => ({ policy, cost: p.cost_usd, quality: p.quality, param: p.param })));
  const singles = [
    ...Object.entries(report.baselines).map(([model, o]) => ({ name: model, cost: o.cost_usd, quality: o.quality })),
    { name: 'oracle', cost: report.oracle.cost_usd, quality: report.oracle.quality },
  ];
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title, width: 640, height: 420,
    layer: [
      {
        data: { values: curves }, mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'cost', type: 'quantitative', title: 'total cost on the test split (USD, log)', scale: { type: 'log' } },
          y: { field: 'quality', type: 'quantitative', title: 'mean quality', scale: { zero: false } },
          color: { field: 'policy', type: 'nominal' }, order: { field: 'param' },
        },
      },
      {
        data: { values: singles }, mark: { type: 'point', filled: true, size: 60, color: 'black' },
        encoding: { x: { field: 'cost', type: 'quantitative' }, y: { field: 'quality', type: 'quantitative' } },
      },
      {
        data: { values: singles }, mark: { type: 'text', align: 'left', dx: 5, fontSize: 9 },
        encoding: { x: { field: 'cost', type: 'quantitative' }, y: { field: 'quality', type: 'quantitative' }, text: { field: 'name' } },
      },
    ],
  };
  const compiled = vl.compile(spec as Parameters<typeof vl.compile>[0]).spec;
  return new vega.View(vega.parse(compiled), { renderer: 'none' }).toSVG();
};
