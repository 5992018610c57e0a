import { Counter, Gauge, type Registry } from 'prom-client';

/** Per-segment confidence as the quality estimator's tracker reports it (structural: telemetry imports no learning code). */
export type SegmentView = () => Readonly<Record<string, { n: number; agreement: number; brier: number; calibrationGap: number }>>;

/**
 * Gauges of the learning side that are read at scrape time (no timers): the estimator's agreement
 * and calibration gap with later human or judge labels per segment, and the judge's outcomes.
 */
export const registerLearningGauges = (registry: Registry, deps: { segments?: SegmentView; judgeSpentMicroUsd?: () => number }) => {
  const segments = deps.segments;
  if (segments) {
    const reading = (name: string, help: string, pick: (v: ReturnType<SegmentView>[string]) => number): void => {
      new Gauge({
        name, help, labelNames: ['segment'] as const, registers: [registry],
        collect() {
          this.reset();
          for (const [segment, v] of Object.entries(segments())) this.set({ segment }, pick(v));
        },
      });
    };
    reading('switchyard_estimator_agreement', 'Share of later human/judge labels on the same side of 0.5 as the quality estimator, per segment (all, tenant:…, task:…, route:…)', (v) => v.agreement);
    reading('switchyard_estimator_calibration_gap', 'Mean estimator prediction minus mean later label per segment (> 0: optimistic)', (v) => v.calibrationGap);
    reading('switchyard_estimator_labelled_total', 'Estimator predictions that later got a human or judge label, per segment', (v) => v.n);
  }
  const spent = deps.judgeSpentMicroUsd;
  if (spent) {
    new Gauge({ name: 'switchyard_judge_spent_today_usd', help: 'USD the judge spent today (UTC) against its daily budget', registers: [registry], collect() { this.set(spent() / 1e6); } });
  }
  return {
    judgeOutcomes: new Counter({ name: 'switchyard_judge_outcomes_total', help: 'Sampled answers by judge outcome (scored, unparsed, error, dropped_queue_full, dropped_budget)', labelNames: ['outcome'] as const, registers: [registry] }),
  };
};
