import type { ReplayReport } from './replay.js';

/**
 * Cost per successful completion per window for the three policies, with the shift, the drift
 * alarm and the recovery marked, as SVG (vega-lite, rendered headless like eval's curves).
 */
export const plotReplay = async (report: ReplayReport, title: string): Promise<string> => {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const series = report.windows.flatMap((w) => {
    const x = (w.from + w.to) / 2;
    return [
      { policy: 'learning (gateway)', x, cps: w.learning.costPerSuccess, quality: w.learning.quality },
      { policy: 'static trained (envelope)', x, cps: w.static.costPerSuccess, quality: w.static.quality },
      { policy: 'best fixed in hindsight', x, cps: w.bestFixed.costPerSuccess, quality: w.bestFixed.quality },
    ].filter((p) => p.cps !== null).map((p) => ({ ...p, cps: (p.cps ?? 0) * 1e6 }));
  });
  const marks = [
    ...(report.shift ? [{ at: report.shift.at, what: 'shift' }] : []),
    ...(report.driftDetectedAt !== null ? [{ at: report.driftDetectedAt, what: 'drift flagged' }] : []),
    ...(report.recoveredAt !== null ? [{ at: report.recoveredAt, what: 'recovered' }] : []),
  ];
  const x = { field: 'x', type: 'quantitative', title: `request (windows of ${report.windows[0] ? report.windows[0].to - report.windows[0].from : 0})` };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title, width: 640, height: 360,
    layer: [
      {
        data: { values: series }, mark: { type: 'line', point: true },
        encoding: { x, y: { field: 'cps', type: 'quantitative', title: 'cost per successful completion (µUSD, log)', scale: { type: 'log' } }, color: { field: 'policy', type: 'nominal' } },
      },
      { data: { values: marks }, mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { x: { field: 'at', type: 'quantitative' }, color: { value: 'gray' } } },
      { data: { values: marks }, mark: { type: 'text', angle: 270, dx: -40, dy: -6, fontSize: 10 }, encoding: { x: { field: 'at', type: 'quantitative' }, y: { value: 0 }, text: { field: 'what' } } },
    ],
  };
  const compiled = vl.compile(spec as Parameters<typeof vl.compile>[0]).spec;
  return new vega.View(vega.parse(compiled), { renderer: 'none' }).toSVG();
};
