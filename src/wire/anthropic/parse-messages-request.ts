import type { ChatMessage, ChatRequest, ContentPart, TextPart, ToolCall, ToolChoice } from '../../spec/chat.js';
import { GatewayError } from '../../errors/gateway-error.js';
import { invalidField, zodIssueToGatewayError } from '../zod-issue-to-gateway-error.js';
import { imageBlockToPart } from './anthropic-content.js';
import {
  KNOWN_MESSAGES_KEYS,
  messagesRequestSchema,
  type AnthropicBlock,
  type AnthropicMessage,
  type MessagesRequest,
} from './messages-request-schema.js';

const textPart = (text: string, cacheControl: AnthropicBlock['cache_control']): TextPart =>
  cacheControl ? { type: 'text', text, cache_control: cacheControl } : { type: 'text', text };

const blockToPart = (b: AnthropicBlock, at: string): ContentPart => {
  if (b.type === 'text') {
    if (typeof b.text !== 'string') throw invalidField(`${at}.text`, 'expected a string');
    return textPart(b.text, b.cache_control);
  }
  if (b.type === 'image') {
    const part = imageBlockToPart(b.source, b.cache_control);
    if (!part) throw invalidField(`${at}.source`, 'expected a base64 or url image source');
    return part;
  }
  return b as ContentPart;
};

/** tool_result content keeps its cache marker by becoming a text part (the marker then survives the round trip). */
const toolMessage = (b: AnthropicBlock, at: string): ChatMessage => {
  if (b.tool_use_id === undefined) throw invalidField(`${at}.tool_use_id`, 'required for tool_result');
  const raw = b.content ?? '';
  let content: ChatMessage['content'];
  if (typeof raw === 'string') content = b.cache_control ? [textPart(raw, b.cache_control)] : raw;
  else content = raw.map((p, k) => blockToPart(p as AnthropicBlock, `${at}.content[${k}]`));
  return { role: 'tool', toolCallId: b.tool_use_id, content };
};

const userMessages = (m: AnthropicMessage, at: string, out: ChatMessage[]): void => {
  if (typeof m.content === 'string') {
    out.push({ role: 'user', content: m.content });
    return;
  }
  const parts: ContentPart[] = [];
  m.content.forEach((b, j) => {
    // Tool results become OpenAI tool messages, ahead of the user's own content.
    if (b.type === 'tool_result') out.push(toolMessage(b, `${at}.content[${j}]`));
    else parts.push(blockToPart(b, `${at}.content[${j}]`));
  });
  if (parts.length > 0) out.push({ role: 'user', content: parts });
};

const assistantMessage = (m: AnthropicMessage, at: string): ChatMessage => {
  if (typeof m.content === 'string') return { role: 'assistant', content: m.content };
  const parts: ContentPart[] = [];
  const toolCalls: ToolCall[] = [];
  m.content.forEach((b, j) => {
    if (b.type === 'tool_use') {
      if (b.id === undefined || b.name === undefined) throw invalidField(`${at}.content[${j}]`, 'tool_use needs id and name');
      toolCalls.push({ id: b.id, type: 'function', function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } });
    } else if (b.type === 'text') parts.push(blockToPart(b, `${at}.content[${j}]`));
    // Thinking blocks have no canonical form; they are dropped.
  });
  const plain = parts.length === 1 && !(parts[0] as TextPart).cache_control;
  const msg: ChatMessage = { role: 'assistant', content: parts.length === 0 ? null : plain ? (parts[0] as TextPart).text : parts };
  if (toolCalls.length > 0) msg.toolCalls = toolCalls;
  return msg;
};

const toolChoice = (c: NonNullable<MessagesRequest['tool_choice']>): ToolChoice => {
  if (c.type === 'auto') return 'auto';
  if (c.type === 'any') return 'required';
  if (c.type === 'none') return 'none';
  return { type: 'function', function: { name: c.name } };
};

const copySettings = (w: MessagesRequest, req: ChatRequest): void => {
  req.maxTokens = w.max_tokens;
  if (w.temperature !== undefined) req.temperature = w.temperature;
  if (w.top_p !== undefined) req.topP = w.top_p;
  if (w.stop_sequences !== undefined && w.stop_sequences.length > 0) req.stop = w.stop_sequences;
  if (w.metadata?.user_id) req.user = w.metadata.user_id;
  if (w.tools !== undefined && w.tools.length > 0) {
    req.tools = w.tools.map((t) => {
      const def: NonNullable<ChatRequest['tools']>[number] = {
        type: 'function',
        function: { name: t.name, parameters: t.input_schema ?? { type: 'object', properties: {} } },
      };
      if (t.description !== undefined) def.function.description = t.description;
      if (t.cache_control) def.cache_control = t.cache_control;
      return def;
    });
  }
  if (w.tool_choice !== undefined) {
    req.toolChoice = toolChoice(w.tool_choice);
    if ('disable_parallel_tool_use' in w.tool_choice && w.tool_choice.disable_parallel_tool_use) req.parallelToolCalls = false;
  }
};

/**
 * Validates an Anthropic Messages body (POST /v1/messages) and returns the canonical request.
 * `system` becomes a leading system message (blocks keep cache_control), tool_result blocks
 * become tool messages, tool_use blocks become toolCalls. Streams always carry usage: Anthropic
 * reports it unasked, so clients of this endpoint expect it.
 */
export const parseMessagesRequest = (body: unknown): ChatRequest => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError('invalid_request', 'request body must be a JSON object');
  }
  const parsed = messagesRequestSchema.safeParse(body);
  if (!parsed.success) throw zodIssueToGatewayError(parsed.error);
  const w = parsed.data;
  const messages: ChatMessage[] = [];
  if (typeof w.system === 'string') messages.push({ role: 'system', content: w.system });
  else if (w.system !== undefined && w.system.length > 0) {
    messages.push({ role: 'system', content: w.system.map((b) => textPart(b.text, b.cache_control)) });
  }
  w.messages.forEach((m, i) => {
    if (m.role === 'user') userMessages(m, `messages[${i}]`, messages);
    else messages.push(assistantMessage(m, `messages[${i}]`));
  });
  const stream = w.stream === true;
  const req: ChatRequest = { model: w.model, messages, stream, includeUsage: stream };
  copySettings(w, req);
  for (const key in body) {
    if (!KNOWN_MESSAGES_KEYS.has(key)) (req.extra ??= {})[key] = (body as Record<string, unknown>)[key];
  }
  return req;
};
