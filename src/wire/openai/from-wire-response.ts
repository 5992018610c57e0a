import type {
  ChatChoice,
  ChatChunk,
  ChatMessage,
  ChatResponse,
  ChunkChoice,
  FinishReason,
  Role,
  ToolCall,
  ToolCallDelta,
  Usage,
} from '../../spec/chat.js';
import { ProviderError } from '../../errors/provider-error.js';

// Upstream responses are checked by hand, not with zod: this runs once per chunk on the hot
// path, and a cheap check of the few fields we read is all the safety we need.

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

const FINISH_REASONS: ReadonlySet<string> = new Set(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);
const ROLES: ReadonlySet<string> = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

const invalid = (provider: string, what: string): ProviderError =>
  new ProviderError('upstream_invalid_response', `invalid response from upstream: ${what}`, { provider });

/** Some OpenAI-compatible servers invent reasons ('eos', 'end_turn'); anything unknown is a normal stop. */
const finishReason = (v: unknown): FinishReason | null => {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' && FINISH_REASONS.has(v) ? (v as FinishReason) : 'stop';
};

/** OpenAI usage → canonical. OpenAI's prompt_tokens already include cached tokens. */
export const fromWireUsage = (u: unknown): Usage | undefined => {
  if (!isObj(u)) return undefined;
  const prompt = isObj(u.prompt_tokens_details) ? u.prompt_tokens_details : undefined;
  const completion = isObj(u.completion_tokens_details) ? u.completion_tokens_details : undefined;
  return {
    inputTokens: num(u.prompt_tokens),
    outputTokens: num(u.completion_tokens),
    cachedInputTokens: num(prompt?.cached_tokens),
    cacheWriteTokens: 0,
    reasoningTokens: num(completion?.reasoning_tokens),
  };
};

const toolCalls = (v: unknown, provider: string): ToolCall[] | undefined => {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalid(provider, 'tool_calls is not an array');
  return v.map((call: unknown): ToolCall => {
    if (!isObj(call) || !isObj(call.function) || typeof call.function.name !== 'string') {
      throw invalid(provider, 'malformed tool call');
    }
    const args = call.function.arguments;
    return {
      id: typeof call.id === 'string' ? call.id : '',
      type: 'function',
      function: { name: call.function.name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) },
    };
  });
};

const message = (v: unknown, provider: string): ChatMessage => {
  if (!isObj(v)) throw invalid(provider, 'choice without message');
  const content = v.content;
  if (content !== null && content !== undefined && typeof content !== 'string' && !Array.isArray(content)) {
    throw invalid(provider, 'message.content is not a string');
  }
  const out: ChatMessage = {
    role: typeof v.role === 'string' && ROLES.has(v.role) ? (v.role as Role) : 'assistant',
    content: (content ?? null) as ChatMessage['content'],
  };
  const calls = toolCalls(v.tool_calls, provider);
  if (calls !== undefined && calls.length > 0) out.toolCalls = calls;
  if (typeof v.refusal === 'string') out.refusal = v.refusal;
  return out;
};

/** OpenAI `chat.completion` JSON → canonical response; throws upstream_invalid_response on garbage. */
export const fromWireResponse = (json: unknown, provider = 'openai'): ChatResponse => {
  if (!isObj(json) || !Array.isArray(json.choices)) throw invalid(provider, 'no choices');
  const choices = json.choices.map((c: unknown, i: number): ChatChoice => {
    if (!isObj(c)) throw invalid(provider, 'malformed choice');
    const choice: ChatChoice = {
      index: typeof c.index === 'number' ? c.index : i,
      message: message(c.message, provider),
      finishReason: finishReason(c.finish_reason),
    };
    if (c.logprobs != null) choice.logprobs = c.logprobs;
    return choice;
  });
  const res: ChatResponse = {
    id: typeof json.id === 'string' ? json.id : '',
    created: num(json.created),
    model: typeof json.model === 'string' ? json.model : '',
    choices,
  };
  const usage = fromWireUsage(json.usage);
  if (usage !== undefined) res.usage = usage;
  if (typeof json.system_fingerprint === 'string') res.systemFingerprint = json.system_fingerprint;
  return res;
};

const toolCallDeltas = (v: unknown, provider: string): ToolCallDelta[] => {
  if (!Array.isArray(v)) throw invalid(provider, 'delta.tool_calls is not an array');
  return v.map((d: unknown, i: number): ToolCallDelta => {
    if (!isObj(d)) throw invalid(provider, 'malformed tool call delta');
    const out: ToolCallDelta = { index: typeof d.index === 'number' ? d.index : i };
    if (typeof d.id === 'string') out.id = d.id;
    if (d.type === 'function') out.type = 'function';
    if (isObj(d.function)) {
      const fn: { name?: string; arguments?: string } = {};
      if (typeof d.function.name === 'string') fn.name = d.function.name;
      if (typeof d.function.arguments === 'string') fn.arguments = d.function.arguments;
      out.function = fn;
    }
    return out;
  });
};

const chunkChoice = (c: unknown, i: number, provider: string): ChunkChoice => {
  if (!isObj(c)) throw invalid(provider, 'malformed chunk choice');
  const d = isObj(c.delta) ? c.delta : {};
  const delta: ChunkChoice['delta'] = {};
  if (typeof d.role === 'string' && ROLES.has(d.role)) delta.role = d.role as Role;
  if (typeof d.content === 'string' || d.content === null) delta.content = d.content;
  if (d.tool_calls != null) delta.toolCalls = toolCallDeltas(d.tool_calls, provider);
  if (typeof d.refusal === 'string') delta.refusal = d.refusal;
  const out: ChunkChoice = { index: typeof c.index === 'number' ? c.index : i, delta, finishReason: finishReason(c.finish_reason) };
  if (c.logprobs != null) out.logprobs = c.logprobs;
  return out;
};

/** OpenAI `chat.completion.chunk` JSON → canonical chunk; throws upstream_invalid_response on garbage. */
export const fromWireChunk = (json: unknown, provider = 'openai'): ChatChunk => {
  if (!isObj(json)) throw invalid(provider, 'chunk is not an object');
  const rawChoices = json.choices ?? [];
  if (!Array.isArray(rawChoices)) throw invalid(provider, 'chunk.choices is not an array');
  const chunk: ChatChunk = {
    id: typeof json.id === 'string' ? json.id : '',
    created: num(json.created),
    model: typeof json.model === 'string' ? json.model : '',
    choices: rawChoices.map((c: unknown, i: number) => chunkChoice(c, i, provider)),
  };
  const usage = fromWireUsage(json.usage);
  if (usage !== undefined) chunk.usage = usage;
  return chunk;
};
