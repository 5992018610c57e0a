import { Command } from 'commander';
import { registerConfigCommand } from './commands/config-check.js';
import { registerEstimatorCommand } from './commands/estimator.js';
import { registerEvalCommand } from './commands/eval.js';
import { registerOpeCommand } from './commands/ope.js';
import { registerReplayCommand } from './commands/replay.js';
import { registerTrainCommand } from './commands/train.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerSpendCommand } from './commands/spend.js';
import { registerPolicyCommand } from './commands/policy.js';

export const createProgram = (): Command => {
  const program = new Command('switchyard')
    .description('Cost-aware LLM routing gateway')
    .version('0.1.0')
    .showHelpAfterError();
  registerServeCommand(program);
  registerSimulateCommand(program);
  registerConfigCommand(program);
  registerSpendCommand(program);
  registerEvalCommand(program);
  registerTrainCommand(program);
  registerEstimatorCommand(program);
  registerReplayCommand(program);
  registerOpeCommand(program);
  registerPolicyCommand(program);
  return program;
};
