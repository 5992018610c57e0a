#!/usr/bin/env node
import { createProgram } from './cli/create-program.js';

try {
  await createProgram().parseAsync(process.argv);
} catch (err) {
  console.error(`switchyard: ${(err as Error).message}`);
  process.exit(1);
}
