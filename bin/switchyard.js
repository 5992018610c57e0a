#!/usr/bin/env node
// Entry point for `npx switchyard`: runs the compiled CLI (built by `npm ci` through `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/src/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('switchyard: not built yet; run `npm ci` (or `npm run build`) in the project folder first.');
  process.exit(1);
}
await import(main.href);
