import type { ChatMessage } from '../spec/chat.js';

/** One prompt of a routing-evaluation set, in the canonical shape (see ../shared/data/README.md). */
export interface DatasetRecord {
  id: string;
  task: string;
  /** 'train' | 'test' | … ; undefined when the set has no split. */
  split?: string;
  messages: ChatMessage[];
  /** Quality in [0,1] per model; null = unknown. */
  scores: Record<string, number | null>;
  /** Real per-prompt cost in USD, when the set has it. */
  costUsd?: Record<string, number>;
  outputTokens?: Record<string, number>;
  /** Real response text per model, when the set has it (RouterBench CSV). */
  responses?: Record<string, string>;
}

/** Prices file: `{model: {input_per_mtok, output_per_mtok}}` in USD per 1M tokens. */
export type PricesFile = Record<string, { input_per_mtok: number; output_per_mtok: number }>;

/**
 * The lookup key of a prompt: the text of its user messages. The simulator and the replay
 * tool use it to find a request's dataset record, so both must build it the same way.
 */
export const promptKey = (messages: readonly ChatMessage[]): string => {
  let key = '';
  for (const m of messages) {
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') key += m.content.trim() + '\n';
    else if (Array.isArray(m.content)) {
      for (const part of m.content) if (part.type === 'text' && typeof part.text === 'string') key += part.text.trim() + '\n';
    }
  }
  return key;
};
