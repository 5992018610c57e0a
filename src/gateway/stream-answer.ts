import type { ChatChunk, ChatResponse, FinishReason } from '../spec/chat.js';

/** Longest streamed answer assembled for the learning sinks; past it they get none (as for a failed stream). */
export const STREAM_ANSWER_MAX_CHARS = 1_000_000;

/**
 * A streamed answer assembled as its chunks pass, so that what learns from answers after the
 * request (implicit signals — JSON validity, truncation —, the estimator, the judge) sees streams
 * as it sees complete responses. Per chunk: a finish-reason check and one string append per choice.
 */
export const createStreamAnswer = (maxChars = STREAM_ANSWER_MAX_CHARS) => {
  const text = new Map<number, string>();
  const finish = new Map<number, FinishReason>();
  let head: Pick<ChatChunk, 'id' | 'created' | 'model'> | null = null;
  let chars = 0;
  return {
    add(chunk: ChatChunk): void {
      head ??= chunk;
      for (const c of chunk.choices) {
        if (c.finishReason) finish.set(c.index, c.finishReason);
        const piece = c.delta.content;
        if (!piece) continue;
        chars += piece.length;
        if (chars <= maxChars) text.set(c.index, (text.get(c.index) ?? '') + piece);
      }
    },
    /** The answer as a complete response; undefined when nothing finished or it was too long to keep. */
    response(): ChatResponse | undefined {
      if (!head || finish.size === 0 || chars > maxChars) return undefined;
      const indices = [...new Set([...text.keys(), ...finish.keys()])].sort((a, b) => a - b);
      return {
        id: head.id, created: head.created, model: head.model,
        choices: indices.map((index) => ({ index, message: { role: 'assistant', content: text.get(index) ?? '' }, finishReason: finish.get(index) ?? null })),
      };
    },
  };
};
