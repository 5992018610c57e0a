import type { ChatMessage, ChatRequest, ContentPart } from '../../spec/chat.js';
import { GatewayError } from '../../errors/gateway-error.js';
import { invalidField, zodIssueToGatewayError } from '../zod-issue-to-gateway-error.js';
import {
  KNOWN_REQUEST_KEYS,
  wireChatRequestSchema,
  type WireChatRequest,
  type WireContentPart,
  type WireMessage,
} from './chat-request-schema.js';
import { fastCheckChatRequest } from './fast-check-request.js';

const checkParts = (parts: WireContentPart[], at: string): ContentPart[] => {
  for (let j = 0; j < parts.length; j++) {
    const part = parts[j] as WireContentPart;
    if (part.type === 'text' && typeof part.text !== 'string') throw invalidField(`${at}[${j}].text`, 'expected a string');
    if (part.type === 'image_url' && part.image_url === undefined) {
      throw invalidField(`${at}[${j}].image_url`, 'expected an object with a url');
    }
  }
  // Parts are already in the canonical (OpenAI wire) form; they are passed through as they are.
  return parts as ContentPart[];
};

const toCanonicalMessage = (m: WireMessage, i: number): ChatMessage => {
  const at = `messages[${i}]`;
  const content = m.content === undefined ? null : m.content;
  if (content === null && m.role !== 'assistant') throw invalidField(`${at}.content`, `required for role ${m.role}`);
  if (content === null && m.role === 'assistant' && !m.tool_calls?.length && m.refusal == null) {
    throw invalidField(`${at}.content`, 'required unless tool_calls is set');
  }
  if (m.role === 'tool' && m.tool_call_id === undefined) throw invalidField(`${at}.tool_call_id`, 'required for role tool');
  if (m.tool_calls !== undefined && m.role !== 'assistant') throw invalidField(`${at}.tool_calls`, 'only allowed for role assistant');
  const out: ChatMessage = {
    role: m.role,
    content: Array.isArray(content) ? checkParts(content, `${at}.content`) : content,
  };
  if (m.name !== undefined) out.name = m.name;
  if (m.tool_calls !== undefined && m.tool_calls.length > 0) out.toolCalls = m.tool_calls;
  if (m.tool_call_id !== undefined) out.toolCallId = m.tool_call_id;
  if (m.refusal != null) out.refusal = m.refusal;
  return out;
};

const collectExtra = (body: Record<string, unknown>): Record<string, unknown> | undefined => {
  let extra: Record<string, unknown> | undefined;
  for (const key in body) {
    if (KNOWN_REQUEST_KEYS.has(key)) continue;
    (extra ??= {})[key] = body[key];
  }
  return extra;
};

/** Copies the optional generation settings; null means "not set" on the wire. */
const copySettings = (w: WireChatRequest, req: ChatRequest): void => {
  const maxTokens = w.max_completion_tokens ?? w.max_tokens;
  if (maxTokens != null) req.maxTokens = maxTokens;
  if (w.temperature != null) req.temperature = w.temperature;
  if (w.top_p != null) req.topP = w.top_p;
  if (w.n != null) req.n = w.n;
  if (w.stop != null) req.stop = typeof w.stop === 'string' ? [w.stop] : w.stop;
  if (w.seed != null) req.seed = w.seed;
  if (w.presence_penalty != null) req.presencePenalty = w.presence_penalty;
  if (w.frequency_penalty != null) req.frequencyPenalty = w.frequency_penalty;
  if (w.tools !== undefined && w.tools.length > 0) req.tools = w.tools as ChatRequest['tools'];
  if (w.tool_choice !== undefined) req.toolChoice = w.tool_choice;
  if (w.parallel_tool_calls != null) req.parallelToolCalls = w.parallel_tool_calls;
  if (w.response_format !== undefined) req.responseFormat = w.response_format as ChatRequest['responseFormat'];
  if (w.reasoning_effort != null) req.reasoningEffort = w.reasoning_effort;
  if (w.user !== undefined) req.user = w.user;
  if (w.logprobs != null) req.logprobs = w.logprobs;
  if (w.top_logprobs != null) req.topLogprobs = w.top_logprobs;
};

const checkToolChoice = (req: ChatRequest): void => {
  const choice = req.toolChoice;
  if (choice === undefined || choice === 'none' || choice === 'auto') return;
  if (!req.tools) throw invalidField('tool_choice', 'requires tools');
  if (typeof choice === 'object' && !req.tools.some((t) => t.function.name === choice.function.name)) {
    throw invalidField('tool_choice.function.name', `no tool named ${choice.function.name}`);
  }
};

const schemaCheck = (body: unknown): WireChatRequest => {
  const parsed = wireChatRequestSchema.safeParse(body);
  if (!parsed.success) throw zodIssueToGatewayError(parsed.error);
  return parsed.data;
};

/**
 * Validates an OpenAI Chat Completions body and returns the canonical request.
 * Throws GatewayError('invalid_request') naming the field at fault (`param`).
 * Top-level parameters we do not interpret are kept in `extra` and forwarded to OpenAI-compatible upstreams.
 */
export const parseChatRequest = (body: unknown): ChatRequest => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError('invalid_request', 'request body must be a JSON object');
  }
  const w = fastCheckChatRequest(body as Record<string, unknown>) ?? schemaCheck(body);
  const stream = w.stream === true;
  const req: ChatRequest = {
    model: w.model,
    messages: w.messages.map(toCanonicalMessage),
    stream,
    includeUsage: stream && w.stream_options?.include_usage === true,
  };
  copySettings(w, req);
  checkToolChoice(req);
  const extra = collectExtra(body as Record<string, unknown>);
  if (extra !== undefined) req.extra = extra;
  return req;
};
