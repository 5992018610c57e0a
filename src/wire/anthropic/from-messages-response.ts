import type { ChatMessage, ChatResponse, ToolCall } from '../../spec/chat.js';
import { ProviderError } from '../../errors/provider-error.js';
import { fromAnthropicUsage, fromStopReason } from './anthropic-usage.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const invalid = (provider: string, what: string): ProviderError =>
  new ProviderError('upstream_invalid_response', `invalid response from upstream: ${what}`, { provider });

/**
 * Anthropic Messages response → canonical. Text blocks are joined into the message content,
 * tool_use blocks become toolCalls, thinking blocks are dropped (their tokens stay in usage).
 * Anthropic has no `created`; `nowSeconds` supplies it.
 */
export const fromMessagesResponse = (json: unknown, provider = 'anthropic', nowSeconds = Math.floor(Date.now() / 1000)): ChatResponse => {
  if (!isObj(json) || !Array.isArray(json.content)) throw invalid(provider, 'no content');
  let text: string | null = null;
  const toolCalls: ToolCall[] = [];
  for (const block of json.content as unknown[]) {
    if (!isObj(block)) throw invalid(provider, 'malformed content block');
    if (block.type === 'text' && typeof block.text === 'string') text = (text ?? '') + block.text;
    else if (block.type === 'tool_use') {
      if (typeof block.name !== 'string') throw invalid(provider, 'tool_use without name');
      toolCalls.push({
        id: typeof block.id === 'string' ? block.id : '',
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const message: ChatMessage = { role: 'assistant', content: text };
  if (toolCalls.length > 0) message.toolCalls = toolCalls;
  const res: ChatResponse = {
    id: typeof json.id === 'string' ? json.id : '',
    created: nowSeconds,
    model: typeof json.model === 'string' ? json.model : '',
    choices: [{ index: 0, message, finishReason: fromStopReason(json.stop_reason) ?? 'stop' }],
  };
  if (isObj(json.usage)) res.usage = fromAnthropicUsage(json.usage);
  return res;
};
