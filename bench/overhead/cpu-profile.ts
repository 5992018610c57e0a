/** Reads a V8 .cpuprofile (node --cpu-prof): busy time, the functions with the most self and inclusive time, and self time by owner. */
import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

export interface ProfileSummary {
  /** Sampled time not idle, µs. */
  busyUs: number;
  /** Self time by function (`name file:line`), µs, largest first. */
  self: [string, number][];
  /** Inclusive time by function (itself and everything it called; recursion counted once), µs, largest first. */
  inclusive: [string, number][];
  /** Self time by owner — an npm package, a src/ folder, Node's own JavaScript (`node:`) or a native entry — µs, largest first. */
  owners: [string, number][];
}

const ownerOf = (n: ProfileNode): string => {
  const { functionName, url } = n.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : `native ${functionName}`;
  if (url.startsWith('node:')) return 'node: (http, streams, events…)';
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1] ?? url;
  const src = /\/dist\/(src\/[^/]+|bench)\//.exec(url);
  return src?.[1] ?? url;
};

const label = (n: ProfileNode): string => {
  const { functionName, url, lineNumber } = n.callFrame;
  const file = url.replace(/^file:\/\//, '').split('/node_modules/').pop()?.replace(/^.*\/dist\//, 'dist/') ?? '';
  return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
};

export const summariseProfile = (path: string): ProfileSummary => {
  const p = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const names = new Map(p.nodes.map((n) => [n.id, label(n)]));
  const ownerById = new Map(p.nodes.map((n) => [n.id, ownerOf(n)]));
  const owners = new Map<string, number>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busyUs = 0;
  p.samples.forEach((id, i) => {
    const name = names.get(id) ?? '?';
    if (name === '(idle)') return;
    const dt = p.timeDeltas[i] ?? 0;
    busyUs += dt;
    self.set(name, (self.get(name) ?? 0) + dt);
    const owner = ownerById.get(id) ?? '?';
    owners.set(owner, (owners.get(owner) ?? 0) + dt);
    const onStack = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) onStack.add(names.get(node) ?? '?');
    for (const f of onStack) inclusive.set(f, (inclusive.get(f) ?? 0) + dt);
  });
  const sorted = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => b[1] - a[1]);
  return { busyUs, self: sorted(self), inclusive: sorted(inclusive), owners: sorted(owners) };
};
