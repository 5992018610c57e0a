import type { ChatResponse } from '../../spec/chat.js';
import { emptyUsage } from '../../spec/chat.js';
import { toAnthropicUsage, toStopReason } from './anthropic-usage.js';

type Obj = Record<string, unknown>;

const parseInput = (args: string): unknown => {
  try {
    return JSON.parse(args);
  } catch {
    return {};
  }
};

/** Canonical response → Anthropic Messages response (first choice only: Anthropic has no `n`). */
export const toMessagesResponse = (res: ChatResponse): Obj => {
  const choice = res.choices[0];
  const content: Obj[] = [];
  const msg = choice?.message;
  if (msg) {
    if (typeof msg.content === 'string' && msg.content !== '') content.push({ type: 'text', text: msg.content });
    else if (Array.isArray(msg.content)) {
      for (const p of msg.content) if (p.type === 'text') content.push({ type: 'text', text: p.text });
    }
    for (const call of msg.toolCalls ?? []) {
      content.push({ type: 'tool_use', id: call.id, name: call.function.name, input: parseInput(call.function.arguments) });
    }
  }
  return {
    id: res.id,
    type: 'message',
    role: 'assistant',
    model: res.model,
    content,
    stop_reason: toStopReason(choice?.finishReason ?? 'stop'),
    stop_sequence: null,
    usage: toAnthropicUsage(res.usage ?? emptyUsage()),
  };
};
