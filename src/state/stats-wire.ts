type Fields = Record<string, number>;

/** ARGV of the sync script: prefix, ttl, #keys, then per key its name, #fields and (field, delta) pairs. */
export const statsArgs = (prefix: string, ttlMs: number, deltas: ReadonlyMap<string, Fields>): Array<string | number> => {
  const args: Array<string | number> = [prefix, ttlMs, deltas.size];
  for (const [key, fields] of deltas) {
    const names = Object.keys(fields);
    args.push(key, names.length);
    for (const f of names) args.push(f, fields[f] ?? 0);
  }
  return args;
};

/** The script's reply: name, [field, value, …], name, […]… (values as strings). */
export const parseStatsReply = (reply: unknown): Map<string, Fields> => {
  const out = new Map<string, Fields>();
  const flat = reply as Array<string | string[]>;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const pairs = flat[i + 1] as string[];
    const fields: Fields = {};
    for (let j = 0; j + 1 < pairs.length; j += 2) fields[pairs[j] as string] = Number(pairs[j + 1]);
    out.set(flat[i] as string, fields);
  }
  return out;
};
