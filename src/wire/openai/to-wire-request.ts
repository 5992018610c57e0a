import type { ChatMessage, ChatRequest, ContentPart } from '../../spec/chat.js';

export interface ToWireRequestOptions {
  /**
   * OpenAI's reasoning models reject `max_tokens`; every current OpenAI-compatible server
   * (vLLM, Groq, Together, Azure ≥ 2024-09) accepts `max_completion_tokens`. Older servers may
   * need `max_tokens`.
   */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
}

const stripCacheControl = (parts: ContentPart[]): ContentPart[] => {
  // OpenAI caches automatically and rejects unknown keys inside parts, so the Anthropic marker
  // is dropped here (it is kept in the canonical request for Anthropic upstreams).
  if (!parts.some((p) => 'cache_control' in p)) return parts;
  return parts.map((p) => {
    if (!('cache_control' in p)) return p;
    const { cache_control: _dropped, ...rest } = p;
    return rest as ContentPart;
  });
};

const toWireMessage = (m: ChatMessage): Record<string, unknown> => {
  const out: Record<string, unknown> = {
    role: m.role,
    content: Array.isArray(m.content) ? stripCacheControl(m.content) : m.content,
  };
  if (m.name !== undefined) out.name = m.name;
  if (m.toolCalls !== undefined) out.tool_calls = m.toolCalls;
  if (m.toolCallId !== undefined) out.tool_call_id = m.toolCallId;
  if (m.refusal != null) out.refusal = m.refusal;
  return out;
};

/** Canonical request → OpenAI Chat Completions body (snake_case), addressed to `upstreamModel`. */
export const toWireRequest = (
  req: ChatRequest,
  upstreamModel: string,
  options: ToWireRequestOptions = {},
): Record<string, unknown> => {
  // Unknown client parameters first, so that they can never override the ones we set.
  const body: Record<string, unknown> = req.extra === undefined ? {} : { ...req.extra };
  body.model = upstreamModel;
  body.messages = req.messages.map(toWireMessage);
  if (req.stream) {
    body.stream = true;
    // Always ask for usage: an unbilled stream is the peers' most expensive bug.
    body.stream_options = { include_usage: true };
  }
  if (req.maxTokens !== undefined) body[options.maxTokensField ?? 'max_completion_tokens'] = req.maxTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.n !== undefined) body.n = req.n;
  if (req.stop !== undefined) body.stop = req.stop;
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.presencePenalty !== undefined) body.presence_penalty = req.presencePenalty;
  if (req.frequencyPenalty !== undefined) body.frequency_penalty = req.frequencyPenalty;
  if (req.tools !== undefined) body.tools = req.tools;
  if (req.toolChoice !== undefined) body.tool_choice = req.toolChoice;
  if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls;
  if (req.responseFormat !== undefined) body.response_format = req.responseFormat;
  if (req.reasoningEffort !== undefined) body.reasoning_effort = req.reasoningEffort;
  if (req.user !== undefined) body.user = req.user;
  if (req.logprobs !== undefined) body.logprobs = req.logprobs;
  if (req.topLogprobs !== undefined) body.top_logprobs = req.topLogprobs;
  return body;
};
