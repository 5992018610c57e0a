import type { MetricConfig } from '../config/config-schema.js';
import { GatewayError } from '../errors/index.js';

/** Validates a value against its declared metric and returns it as a number (booleans as 0/1). */
export const metricValue = (metric: MetricConfig, value: unknown): number => {
  if (metric.kind === 'boolean') {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value === 0 || value === 1) return value;
    throw new GatewayError('invalid_request', `value: metric '${metric.name}' is boolean; send true or false`, { param: 'value' });
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new GatewayError('invalid_request', `value: metric '${metric.name}' is a number in [${metric.range[0]}, ${metric.range[1]}]`, { param: 'value' });
  }
  const [lo, hi] = metric.range;
  if (value < lo || value > hi) throw new GatewayError('invalid_request', `value: ${value} is outside metric '${metric.name}' range [${lo}, ${hi}]`, { param: 'value' });
  return value;
};

/** Quality in [0,1] a value stands for: linear on the metric's range, flipped when lower is better. */
export const qualityOf = (metric: MetricConfig, value: number): number => {
  const [lo, hi] = metric.kind === 'boolean' ? [0, 1] : metric.range;
  const q = Math.min(1, Math.max(0, (value - lo) / (hi - lo)));
  return metric.higherIsBetter ? q : 1 - q;
};
