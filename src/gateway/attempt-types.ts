import type { Target } from '../spec/catalog.js';
import type { ChatChunk, ChatResponse, Usage } from '../spec/chat.js';
import type { AttemptOutcome } from '../spec/ledger.js';

/** What the fallback chain reports about one finished attempt; handle-chat turns it into a ledger row. */
export interface AttemptRecord {
  attempt: number;
  target: Target;
  startedAt: number;
  latencyMs: number;
  ttftMs: number | null;
  /** Null when the upstream never reported usage and nothing was produced. */
  usage: Usage | null;
  outcome: AttemptOutcome;
  errorCode: string | null;
}

export type ChainResult =
  | { kind: 'response'; response: ChatResponse; target: Target; attempts: number }
  | {
      kind: 'stream';
      target: Target;
      attempts: number;
      /** Yields every chunk for the client (buffered first chunks included); throws ProviderError if cut after commit. */
      chunks: AsyncIterable<ChatChunk>;
    };
