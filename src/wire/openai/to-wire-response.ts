import type { ChatChunk, ChatMessage, ChatResponse, ChunkChoice, Usage } from '../../spec/chat.js';

export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

/**
 * Canonical usage → OpenAI usage. OpenAI has no cache-write counter: cache writes are part of
 * prompt_tokens (as canonical inputTokens already includes them).
 */
export const toWireUsage = (u: Usage): WireUsage => ({
  prompt_tokens: u.inputTokens,
  completion_tokens: u.outputTokens,
  total_tokens: u.inputTokens + u.outputTokens,
  prompt_tokens_details: { cached_tokens: u.cachedInputTokens },
  completion_tokens_details: { reasoning_tokens: u.reasoningTokens },
});

const toWireResponseMessage = (m: ChatMessage): Record<string, unknown> => {
  const out: Record<string, unknown> = { role: m.role, content: m.content, refusal: m.refusal ?? null };
  if (m.toolCalls !== undefined && m.toolCalls.length > 0) out.tool_calls = m.toolCalls;
  return out;
};

/** Canonical response → OpenAI `chat.completion` object. */
export const toWireResponse = (res: ChatResponse): Record<string, unknown> => {
  const out: Record<string, unknown> = {
    id: res.id,
    object: 'chat.completion',
    created: res.created,
    model: res.model,
    choices: res.choices.map((c) => ({
      index: c.index,
      message: toWireResponseMessage(c.message),
      logprobs: c.logprobs ?? null,
      finish_reason: c.finishReason,
    })),
  };
  if (res.usage !== undefined) out.usage = toWireUsage(res.usage);
  if (res.systemFingerprint !== undefined) out.system_fingerprint = res.systemFingerprint;
  return out;
};

const toWireChunkChoice = (c: ChunkChoice): Record<string, unknown> => {
  const delta: Record<string, unknown> = {};
  if (c.delta.role !== undefined) delta.role = c.delta.role;
  if (c.delta.content !== undefined) delta.content = c.delta.content;
  if (c.delta.toolCalls !== undefined) delta.tool_calls = c.delta.toolCalls;
  if (c.delta.refusal !== undefined) delta.refusal = c.delta.refusal;
  return { index: c.index, delta, logprobs: c.logprobs ?? null, finish_reason: c.finishReason };
};

/**
 * Canonical chunk → OpenAI `chat.completion.chunk`. The usage chunk (empty choices, usage set)
 * is the one OpenAI sends last when stream_options.include_usage is true.
 */
export const toWireChunk = (chunk: ChatChunk): Record<string, unknown> => {
  const out: Record<string, unknown> = {
    id: chunk.id,
    object: 'chat.completion.chunk',
    created: chunk.created,
    model: chunk.model,
    choices: chunk.choices.map(toWireChunkChoice),
  };
  if (chunk.usage !== undefined) out.usage = toWireUsage(chunk.usage);
  return out;
};
