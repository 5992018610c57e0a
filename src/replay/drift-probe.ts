const COUNTER = 'switchyard_drift_events_total';

/** A Prometheus counter's value per label set (`{kind="features",group="task"}` → 2), from the text exposition format. */
export const counterSeries = (text: string, name: string): Map<string, number> => {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    const space = line.lastIndexOf(' ');
    const value = Number(line.slice(space + 1));
    if (Number.isFinite(value)) out.set(line.slice(name.length, space).trim(), value);
  }
  return out;
};

const label = (labels: string, key: string): string => new RegExp(`${key}="([^"]*)"`).exec(labels)?.[1] ?? '';

export interface DriftAlarm {
  kind: string;
  group: string;
}

/**
 * Watches the gateway's drift alarms through its public `/metrics` (the same signal an operator
 * alerts on): `poll` returns the alarms raised since the previous poll, by kind and group.
 */
export const createDriftProbe = (url: string, headers: Record<string, string>) => {
  let last = new Map<string, number>();
  return {
    async poll(): Promise<DriftAlarm[]> {
      const res = await fetch(`${url}/metrics`, { headers });
      const now = counterSeries(await res.text(), COUNTER);
      const fired = [...now].filter(([labels, v]) => v > (last.get(labels) ?? 0)).map(([labels]) => ({ kind: label(labels, 'kind'), group: label(labels, 'group') }));
      last = now;
      return fired;
    },
  };
};
