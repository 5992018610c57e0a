import type { ChatMessage, ChatRequest } from '../../spec/chat.js';
import { partToBlock } from './anthropic-content.js';

type Obj = Record<string, unknown>;

/** Anthropic requires max_tokens; this is used when neither the request nor the target sets it. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

/**
 * Extra (untranslated) parameters that are Anthropic's own and safe to forward. Anything else in
 * `extra` came from an OpenAI client and would make Anthropic reject the request.
 */
export const ANTHROPIC_PASSTHROUGH_PARAMS: ReadonlySet<string> = new Set(['top_k', 'thinking']);

const contentBlocks = (content: ChatMessage['content']): Obj[] => {
  if (content === null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content.map(partToBlock);
};

const systemOf = (messages: readonly ChatMessage[]): string | Obj[] | undefined => {
  const system = messages.filter((m) => m.role === 'system' || m.role === 'developer');
  if (system.length === 0) return undefined;
  if (system.every((m) => typeof m.content === 'string')) return system.map((m) => m.content as string).join('\n\n');
  // Blocks keep each cache_control marker where the client put it.
  return system.flatMap((m) => contentBlocks(m.content));
};

const parseArguments = (args: string): unknown => {
  try {
    const value: unknown = JSON.parse(args);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
  } catch {
    // A model-produced half JSON must not fail the whole request; Anthropic needs an object.
    return {};
  }
};

const assistantContent = (m: ChatMessage): string | Obj[] => {
  if (!m.toolCalls?.length && typeof m.content === 'string') return m.content;
  const blocks = contentBlocks(m.content);
  for (const call of m.toolCalls ?? []) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input: parseArguments(call.function.arguments) });
  }
  return blocks;
};

const toolResult = (m: ChatMessage): Obj => {
  const content = typeof m.content === 'string' || m.content === null ? (m.content ?? '') : m.content.map(partToBlock);
  return { type: 'tool_result', tool_use_id: m.toolCallId ?? '', content };
};

const userContent = (content: ChatMessage['content']): string | Obj[] =>
  typeof content === 'string' ? content : contentBlocks(content);

/** Consecutive tool messages become one user turn of tool_result blocks, as Anthropic expects. */
const toMessages = (messages: readonly ChatMessage[]): Obj[] => {
  const out: Obj[] = [];
  let toolTurn: Obj[] | undefined;
  for (const m of messages) {
    if (m.role === 'system' || m.role === 'developer') continue;
    if (m.role === 'tool') {
      if (toolTurn === undefined) {
        toolTurn = [];
        out.push({ role: 'user', content: toolTurn });
      }
      toolTurn.push(toolResult(m));
      continue;
    }
    toolTurn = undefined;
    out.push(m.role === 'assistant' ? { role: 'assistant', content: assistantContent(m) } : { role: 'user', content: userContent(m.content) });
  }
  return out;
};

const toolChoice = (req: ChatRequest): Obj | undefined => {
  const choice = req.toolChoice;
  const noParallel = req.parallelToolCalls === false;
  let out: Obj | undefined;
  if (choice === 'none') return { type: 'none' };
  if (choice === 'auto') out = { type: 'auto' };
  else if (choice === 'required') out = { type: 'any' };
  else if (typeof choice === 'object') out = { type: 'tool', name: choice.function.name };
  else if (noParallel && req.tools) out = { type: 'auto' };
  if (out && noParallel) out.disable_parallel_tool_use = true;
  return out;
};

const tools = (req: ChatRequest): Obj[] | undefined =>
  req.tools?.map((t) => {
    const tool: Obj = { name: t.function.name, input_schema: t.function.parameters ?? { type: 'object', properties: {} } };
    if (t.function.description !== undefined) tool.description = t.function.description;
    if (t.cache_control) tool.cache_control = t.cache_control;
    return tool;
  });

/**
 * Canonical request → Anthropic Messages body. Dropped without an Anthropic equivalent: n,
 * seed, penalties, logprobs, response_format, reasoning_effort. Temperature is clamped to
 * Anthropic's 0..1 range.
 */
export const toMessagesRequest = (req: ChatRequest, upstreamModel: string, defaultMaxTokens = DEFAULT_ANTHROPIC_MAX_TOKENS): Obj => {
  const body: Obj = {};
  if (req.extra) for (const key in req.extra) if (ANTHROPIC_PASSTHROUGH_PARAMS.has(key)) body[key] = req.extra[key];
  body.model = upstreamModel;
  body.max_tokens = req.maxTokens ?? defaultMaxTokens;
  const system = systemOf(req.messages);
  if (system !== undefined) body.system = system;
  body.messages = toMessages(req.messages);
  if (req.stream) body.stream = true;
  if (req.temperature !== undefined) body.temperature = Math.min(1, req.temperature);
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.stop !== undefined) body.stop_sequences = req.stop;
  if (req.user !== undefined) body.metadata = { user_id: req.user };
  const t = tools(req);
  if (t !== undefined) body.tools = t;
  const choice = toolChoice(req);
  if (choice !== undefined) body.tool_choice = choice;
  return body;
};
