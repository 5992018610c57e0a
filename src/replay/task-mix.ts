/** A task mix: task name → weight (normalised when used). `mbpp=0.5,winogrande=0.5`. */
export type TaskMix = Record<string, number>;

export const parseTaskMix = (raw: string, field: string): TaskMix => {
  const mix: TaskMix = {};
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [task, w] = part.split('=');
    const weight = Number(w);
    if (!task || w === undefined || !Number.isFinite(weight) || weight < 0) throw new Error(`${field}: expected task=weight pairs like mbpp=0.5,winogrande=0.5, got '${part}'`);
    mix[task.trim()] = weight;
  }
  if (Object.values(mix).reduce((a, b) => a + b, 0) <= 0) throw new Error(`${field}: the weights must not all be zero`);
  return mix;
};

/** `AT:TASKMIX`, e.g. `2000:mbpp=0.5,winogrande=0.5`. */
export const parseShift = (raw: string): { at: number; mix: TaskMix } => {
  const i = raw.indexOf(':');
  const at = Number(raw.slice(0, i));
  if (i <= 0 || !Number.isInteger(at) || at < 0) throw new Error(`--shift: expected AT:TASKMIX like 2000:mbpp=0.5,winogrande=0.5, got '${raw}'`);
  return { at, mix: parseTaskMix(raw.slice(i + 1), '--shift') };
};

/** Seeded PRNG (mulberry32): the same seed gives the same stream. */
export const seededRandom = (seed: number): (() => number) => {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/**
 * The replayed stream: `n` prompts drawn (with replacement, seeded) from `byTask` following `mix`
 * before `shift.at` and `shift.mix` from then on. Tasks a mix names but the set lacks are an error.
 */
export const buildStream = <T>(
  byTask: ReadonlyMap<string, readonly T[]>,
  n: number,
  mix: TaskMix,
  shift: { at: number; mix: TaskMix } | undefined,
  random: () => number,
): T[] => {
  for (const m of [mix, shift?.mix ?? {}]) {
    for (const task of Object.keys(m)) if (!byTask.get(task)?.length) throw new Error(`task '${task}' has no prompts in the replayed split (tasks: ${[...byTask.keys()].join(', ')})`);
  }
  const pick = (m: TaskMix): T => {
    const total = Object.values(m).reduce((a, b) => a + b, 0);
    let r = random() * total;
    let task = Object.keys(m)[0] ?? '';
    for (const [t, w] of Object.entries(m)) {
      task = t;
      if ((r -= w) < 0) break;
    }
    const pool = byTask.get(task) ?? [];
    return pool[Math.floor(random() * pool.length)] as T;
  };
  return Array.from({ length: n }, (_, i) => pick(shift && i >= shift.at ? shift.mix : mix));
};
