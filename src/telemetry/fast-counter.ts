import { Counter, Histogram, type Registry } from 'prom-client';

/** One string per label name, in the order the metric declared them. */
export type LabelValues<Names extends readonly string[]> = { [K in keyof Names]: string };

export interface CounterCell {
  inc(by?: number): void;
}

export interface FastCounter<Names extends readonly string[]> {
  /** The child for one label tuple, created once and cached. */
  cell(...values: LabelValues<Names>): CounterCell;
  readonly metric: Counter<Names[number]>;
}

export interface HistogramCell {
  observe(value: number): void;
}

export interface FastHistogram<Names extends readonly string[]> {
  cell(...values: LabelValues<Names>): HistogramCell;
  readonly metric: Histogram<Names[number]>;
}

interface Pending<N extends string> {
  labels: Partial<Record<N, string>>;
  value: number;
  seen: boolean;
}

const labelsOf = <N extends string>(names: readonly N[], values: readonly string[]): Partial<Record<N, string>> => {
  const labels: Partial<Record<N, string>> = {};
  names.forEach((n, i) => {
    labels[n] = values[i] ?? '';
  });
  return labels;
};

/**
 * Cells by label tuple, in one Map per label level: a lookup hashes the label strings themselves
 * (V8 caches a string's hash) where joining them into one key made and hashed a new string on
 * every call — and a request looks up about ten cells. `all` lists the cells for the scrape.
 */
const createCells = <C>(make: (values: readonly string[]) => C) => {
  const root = new Map<string, unknown>();
  const all: C[] = [];
  let unlabelled: C | undefined;
  const created = (values: readonly string[]): C => {
    const c = make([...values]);
    all.push(c);
    return c;
  };
  const get = (values: readonly string[]): C => {
    if (values.length === 0) return (unlabelled ??= created(values));
    let level = root;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      const v = values[i] as string;
      let next = level.get(v) as Map<string, unknown> | undefined;
      if (!next) level.set(v, (next = new Map<string, unknown>()));
      level = next;
    }
    const key = values[last] as string;
    let c = level.get(key) as C | undefined;
    if (c === undefined) level.set(key, (c = created(values)));
    return c;
  };
  return { get, all };
};

/**
 * A counter whose increments cost a few Map lookups and an addition. prom-client's `inc(labels)` hashes
 * and validates the label object on every call (~1 µs; its `labels()` children are no faster, they
 * just bind the same call), and a request updates a dozen counters. Cells accumulate locally and
 * are folded into the prom-client counter when the registry is scraped (its `collect` hook), so
 * the exported values are exact at every scrape. `scale` converts the accumulated integer unit
 * (micro-USD) into the exported one (USD) once per scrape instead of adding floats per request.
 */
export const createFastCounter = <const Names extends readonly string[]>(config: {
  registry: Registry;
  name: string;
  help: string;
  labelNames: Names;
  scale?: number;
}): FastCounter<Names> => {
  const cells = createCells<Pending<Names[number]> & CounterCell>((values) => {
    const created: Pending<Names[number]> & CounterCell = {
      labels: labelsOf(config.labelNames, values),
      value: 0,
      seen: false,
      inc(by = 1) {
        created.value += by;
      },
    };
    return created;
  });
  const scale = config.scale ?? 1;
  const metric: Counter<Names[number]> = new Counter({
    name: config.name,
    help: config.help,
    labelNames: config.labelNames,
    registers: [config.registry],
    collect() {
      for (const c of cells.all) {
        if (c.value === 0 && c.seen) continue;
        metric.inc(c.labels, c.value * scale);
        c.value = 0;
        c.seen = true;
      }
    },
  });
  return {
    metric,
    cell: (...values) => cells.get(values),
  };
};

/** A histogram with its label objects cached per tuple (prom-client still hashes them per observation). */
export const createFastHistogram = <const Names extends readonly string[]>(config: {
  registry: Registry;
  name: string;
  help: string;
  labelNames: Names;
  buckets: number[];
}): FastHistogram<Names> => {
  const metric: Histogram<Names[number]> = new Histogram({
    name: config.name,
    help: config.help,
    labelNames: config.labelNames,
    buckets: config.buckets,
    registers: [config.registry],
  });
  const cells = createCells<HistogramCell>((values) => {
    const labels = labelsOf(config.labelNames, values);
    return { observe: (v) => metric.observe(labels, v) };
  });
  return { metric, cell: (...values) => cells.get(values) };
};
