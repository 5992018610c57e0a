import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * A candidate policy as off-policy evaluation needs it: the probability it would give each arm in
 * a logged context. `fixed` always picks one target; `table` draws from fixed probabilities;
 * `linear` scores arms by w_a · x on the logged context vector and picks the best (with ε spread
 * uniformly over the arms, so a greedy snapshot of a bandit can be evaluated with its exploration).
 */
const fileSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), target: z.string().min(1) }),
  z.strictObject({ kind: z.literal('table'), probabilities: z.record(z.string(), z.number().nonnegative()) }),
  z.strictObject({ kind: z.literal('linear'), arms: z.record(z.string(), z.array(z.number())), epsilon: z.number().min(0).max(1).default(0) }),
]);
export type OpePolicyFile = z.input<typeof fileSchema>;

export interface OpePolicy {
  /** π(a | x) for every arm in `arms` (sums to 1 over them). */
  probabilities(x: readonly number[], arms: readonly string[]): Map<string, number>;
}

const dot = (w: readonly number[], x: readonly number[]): number => w.reduce((s, v, i) => s + v * (x[i] ?? 0), 0);

export const createOpePolicy = (file: OpePolicyFile): OpePolicy => {
  const p = fileSchema.parse(file);
  return {
    probabilities(x, arms) {
      const out = new Map<string, number>(arms.map((a) => [a, 0]));
      if (p.kind === 'fixed') {
        out.set(p.target, 1);
        return out;
      }
      if (p.kind === 'table') {
        const total = Object.values(p.probabilities).reduce((a, b) => a + b, 0) || 1;
        for (const [a, v] of Object.entries(p.probabilities)) out.set(a, v / total);
        return out;
      }
      const scored = Object.keys(p.arms);
      const best = scored.reduce((a, b) => (dot(p.arms[b] ?? [], x) > dot(p.arms[a] ?? [], x) ? b : a), scored[0] ?? '');
      for (const a of scored) out.set(a, p.epsilon / scored.length + (a === best ? 1 - p.epsilon : 0));
      return out;
    },
  };
};

export const loadOpePolicy = async (path: string): Promise<OpePolicy> => {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`--policy: cannot read ${path}: ${(err as Error).message}`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`--policy: ${path}: ${i?.path.join('.') || 'file'}: ${i?.message ?? 'invalid'} (expected {"kind":"fixed"|"table"|"linear", …}; see docs/learning.md)`);
  }
  return createOpePolicy(parsed.data);
};
