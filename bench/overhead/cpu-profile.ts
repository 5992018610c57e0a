/** Reads a V8 .cpuprofile (node --cpu-prof): busy time, and the functions with the most self time. */
import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

export interface ProfileSummary {
  /** Sampled time not idle, µs. */
  busyUs: number;
  /** Self time by function (`name file:line`), µs, largest first. */
  self: [string, number][];
}

const label = (n: ProfileNode): string => {
  const { functionName, url, lineNumber } = n.callFrame;
  const file = url.replace(/^file:\/\//, '').split('/node_modules/').pop()?.replace(/^.*\/dist\//, 'dist/') ?? '';
  return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
};

export const summariseProfile = (path: string): ProfileSummary => {
  const p = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const names = new Map(p.nodes.map((n) => [n.id, label(n)]));
  const self = new Map<string, number>();
  let busyUs = 0;
  p.samples.forEach((id, i) => {
    const name = names.get(id) ?? '?';
    if (name === '(idle)') return;
    const dt = p.timeDeltas[i] ?? 0;
    busyUs += dt;
    self.set(name, (self.get(name) ?? 0) + dt);
  });
  return { busyUs, self: [...self].sort((a, b) => b[1] - a[1]) };
};
