/**
 * The canonical chat shape: OpenAI Chat Completions, camelCase inside the gateway.
 * The http/ layer converts the wire (snake_case) to this and back; adapters translate this
 * to and from each provider's protocol. Content parts stay in their OpenAI wire form
 * (`{type:'image_url', image_url:{…}}`) because they are passed through opaquely.
 */

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export interface TextPart {
  type: 'text';
  text: string;
  /** Anthropic prompt-caching marker; kept because it changes the bill. */
  cache_control?: { type: 'ephemeral'; ttl?: string };
}
export interface ImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}
/** Any other part type (input_audio, file…) passed through untouched. */
export interface OtherPart {
  type: string;
  [key: string]: unknown;
}
export type ContentPart = TextPart | ImagePart | OtherPart;

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: Role;
  content: string | ContentPart[] | null;
  name?: string;
  toolCalls?: ToolCall[];
  toolCallId?: string;
  refusal?: string | null;
}

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
  /** Anthropic prompt-caching marker on a tool definition (tools are a common cache prefix). */
  cache_control?: { type: 'ephemeral'; ttl?: string };
}

export type ToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | { type: 'function'; function: { name: string } };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema?: Record<string, unknown>; strict?: boolean; description?: string } };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  /** stream_options.include_usage */
  includeUsage: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  n?: number;
  stop?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
  user?: string;
  logprobs?: boolean;
  topLogprobs?: number;
  /** Other OpenAI parameters we do not interpret, forwarded to OpenAI-compatible upstreams as-is. */
  extra?: Record<string, unknown>;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the provider's prompt cache (billed at the cached rate). */
  cachedInputTokens: number;
  /** Input tokens written to the prompt cache (Anthropic bills these above the input rate). */
  cacheWriteTokens: number;
  /** Output tokens spent on hidden reasoning (already included in outputTokens). */
  reasoningTokens: number;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface ChatChoice {
  index: number;
  message: ChatMessage;
  finishReason: FinishReason | null;
  logprobs?: unknown;
}

export interface ChatResponse {
  id: string;
  created: number;
  model: string;
  choices: ChatChoice[];
  usage?: Usage;
  systemFingerprint?: string;
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface ChunkChoice {
  index: number;
  delta: { role?: Role; content?: string | null; toolCalls?: ToolCallDelta[]; refusal?: string | null };
  finishReason: FinishReason | null;
  logprobs?: unknown;
}

export interface ChatChunk {
  id: string;
  created: number;
  model: string;
  choices: ChunkChoice[];
  /** Present on the final usage chunk (choices empty) when usage was requested or reported. */
  usage?: Usage;
}

export const emptyUsage = (): Usage => ({
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
});
