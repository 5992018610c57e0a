import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

export interface Replica {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote (stdout and stderr). */
  output(): string;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A free loopback port (the OS picks it; released at once for the replica to take). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

const waitReady = async (url: string, child: ChildProcess, output: () => string): Promise<void> => {
  // Generous: on a loaded machine three processes starting together can take many seconds.
  for (let i = 0; i < 900; i++) {
    if (child.exitCode !== null) throw new Error(`replica exited (${child.exitCode}): ${output()}`);
    const ok = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`replica at ${url} not ready after 45 s: ${output()}`);
};

/** Starts `n` real gateway processes (`switchyard serve`) on one config file, each on its own port. */
export const spawnReplicas = async (n: number, config: unknown): Promise<Replica[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-replicas-'));
  const file = join(dir, 'switchyard.yaml');
  writeFileSync(file, stringify(config));
  const replicas = await Promise.all(Array.from({ length: n }, async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN, 'serve', '--config', file, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const keep = (d: Buffer): void => {
      text = (text + d.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const replica: Replica = {
      url: `http://127.0.0.1:${port}`, child, output: () => text,
      stop: (signal = 'SIGTERM') => {
        if (child.exitCode === null) child.kill(signal);
        return exited;
      },
    };
    return replica;
  }));
  try {
    await Promise.all(replicas.map((r) => waitReady(r.url, r.child, r.output)));
  } catch (err) {
    await Promise.all(replicas.map((r) => r.stop('SIGKILL')));
    throw err;
  }
  return replicas;
};
