import type { FinishReason, Usage } from '../../spec/chat.js';

/**
 * Usage mapping, the one place where the two bills meet:
 *
 * Anthropic's `input_tokens` EXCLUDES the tokens read from or written to the prompt cache; those
 * are reported separately (`cache_read_input_tokens`, `cache_creation_input_tokens`) and billed
 * at their own rates. Canonical `inputTokens` follows OpenAI, where prompt_tokens INCLUDES cached
 * tokens, so:
 *
 *   inputTokens       = input_tokens + cache_read_input_tokens + cache_creation_input_tokens
 *   cachedInputTokens = cache_read_input_tokens
 *   cacheWriteTokens  = cache_creation_input_tokens
 *
 * and the inverse when encoding: input_tokens = inputTokens − cachedInputTokens − cacheWriteTokens.
 */
export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

type Obj = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export const fromAnthropicUsage = (u: Obj): Usage => {
  const cacheRead = num(u.cache_read_input_tokens);
  const cacheWrite = num(u.cache_creation_input_tokens);
  const details = u.output_tokens_details as Obj | null | undefined;
  return {
    inputTokens: num(u.input_tokens) + cacheRead + cacheWrite,
    outputTokens: num(u.output_tokens),
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: details ? num(details.thinking_tokens) : 0,
  };
};

export const toAnthropicUsage = (u: Usage): AnthropicUsage => ({
  input_tokens: Math.max(0, u.inputTokens - u.cachedInputTokens - u.cacheWriteTokens),
  output_tokens: u.outputTokens,
  cache_creation_input_tokens: u.cacheWriteTokens,
  cache_read_input_tokens: u.cachedInputTokens,
});

const FROM_STOP_REASON: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

const TO_STOP_REASON: Readonly<Record<FinishReason, string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
};

export const fromStopReason = (reason: unknown): FinishReason | null =>
  typeof reason === 'string' ? (FROM_STOP_REASON[reason] ?? 'stop') : null;

export const toStopReason = (reason: FinishReason | null): string | null => (reason === null ? null : TO_STOP_REASON[reason]);
