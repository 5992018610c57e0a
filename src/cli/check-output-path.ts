import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Fails fast when a file could not be written where an option asks: before minutes of training or
 * replay, not after them.
 */
export const checkOutputPath = (path: string | undefined, option: string): void => {
  if (path === undefined) return;
  const dir = dirname(resolve(path));
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    /* missing */
  }
  if (!isDir) throw new Error(`${option}: directory does not exist: ${dir}`);
};
