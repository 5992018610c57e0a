import type { Features, TaskType } from '../../spec/routing.js';

const TASKS: readonly TaskType[] = ['classification', 'extraction', 'translation', 'sentiment', 'qa', 'math', 'code', 'reasoning', 'writing', 'summarization', 'chat'];

/** Dimension of the compact context: bias, task one-hot, log input tokens, three markers. */
export const CONTEXT_DIM = 1 + TASKS.length + 1 + 3;

/**
 * The compact context a learning policy decides on and the decision log records (for replay and
 * off-policy evaluation). Small on purpose: LinUCB costs O(d²) per arm on the request path.
 * Every entry is in [0, 1] so no feature dominates the confidence ellipsoid by scale alone.
 */
export const contextVector = (f: Features): number[] => {
  const x = new Array<number>(CONTEXT_DIM).fill(0);
  x[0] = 1;
  const task = TASKS.indexOf(f.taskType);
  x[1 + (task < 0 ? TASKS.length - 1 : task)] = 1;
  x[1 + TASKS.length] = Math.min(1, Math.log2(1 + f.inputTokens) / 16);
  x[2 + TASKS.length] = f.hasCode ? 1 : 0;
  x[3 + TASKS.length] = f.hasMath ? 1 : 0;
  x[4 + TASKS.length] = f.hasReasoningKeywords ? 1 : 0;
  return x;
};

/** Segment of a request: tier and task type (exploration boosts, drift updates and floors key on it). */
export const segmentOf = (tier: string, f: Features): string => `${tier}/${f.taskType}`;
