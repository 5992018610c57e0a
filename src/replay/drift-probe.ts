const COUNTER = 'switchyard_drift_events_total';

/** Sum of a Prometheus counter over all its label sets, from the text exposition format. */
export const sumCounter = (text: string, name: string): number => {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) total += value;
  }
  return total;
};

/**
 * Watches the gateway's drift alarms through its public `/metrics` (the same signal an operator
 * alerts on): `poll` says whether the alarm count went up since the previous poll.
 */
export const createDriftProbe = (url: string, headers: Record<string, string>) => {
  let last = 0;
  return {
    async poll(): Promise<boolean> {
      const res = await fetch(`${url}/metrics`, { headers });
      const total = sumCounter(await res.text(), COUNTER);
      const fired = total > last;
      last = total;
      return fired;
    },
  };
};
