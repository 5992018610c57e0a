import type { Command } from 'commander';
import { ConfigError } from '../../config/config-error.js';
import { loadConfig } from '../../config/load-config.js';
import { buildRoutes } from '../build-routes.js';
import { checkLearningExtras } from '../start-learning-extras.js';
import { loadAnswerScorers } from '../load-answer-scorers.js';

export const registerConfigCommand = (program: Command): void => {
  const config = program.command('config').description('work with config files');
  config
    .command('check <file>')
    .description('validate a YAML config file; exits 1 with every problem listed by field path')
    .action(async (file: string) => {
      try {
        const resolved = await loadConfig(file);
        checkLearningExtras(resolved);
        const routes = await buildRoutes(resolved, undefined, (await loadAnswerScorers(resolved)).scorers);
        console.log(`${file}: ok (config hash ${resolved.hash}; ${resolved.catalog.list().length} models, ${resolved.routes.size} routes, ${routes.size} names clients can use, ${resolved.keys.size} API keys)`);
      } catch (err) {
        console.error(err instanceof ConfigError ? err.message : `${file}: ${(err as Error).message}`);
        process.exitCode = 1;
      }
    });
};
