import type { ChatChunk, FinishReason, ToolCallDelta, Usage } from '../../spec/chat.js';
import { emptyUsage } from '../../spec/chat.js';
import { toAnthropicUsage, toStopReason } from './anthropic-usage.js';

export interface AnthropicStreamEncoder {
  /** SSE text (possibly empty) for one canonical chunk. */
  encode(chunk: ChatChunk): string;
  /** Closes the open block and ends the message; usage defaults to the last usage chunk seen. */
  finish(usage?: Usage): string;
}

export interface AnthropicStreamEncoderOptions {
  /** Input usage known before the first chunk (the simulator knows it; a relay does not). */
  initialUsage?: Usage;
}

/** One Anthropic SSE event. */
export const sseEvent = (type: string, data: unknown): string => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

/** An Anthropic stream error event (sent when a stream fails after its first byte). */
export const anthropicErrorEvent = (type: string, message: string): string =>
  sseEvent('error', { type: 'error', error: { type, message } });

/**
 * Canonical chunks → the Anthropic event sequence: message_start, then per block
 * content_block_start / *_delta / content_block_stop, then message_delta (stop reason and the
 * cumulative usage) and message_stop. Only choice 0 is encoded: Anthropic has no `n`.
 */
export const createAnthropicStreamEncoder = (options: AnthropicStreamEncoderOptions = {}): AnthropicStreamEncoder => {
  let started = false;
  let blockIndex = -1;
  let blockKind: 'text' | 'tool' | undefined;
  let toolIndex = -1;
  let stopReason: FinishReason | null = null;
  let usage: Usage | undefined;
  let id = '';
  let model = '';

  const start = (): string => {
    started = true;
    const initial = toAnthropicUsage(options.initialUsage ?? emptyUsage());
    const message = { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: initial };
    return sseEvent('message_start', { type: 'message_start', message });
  };
  const closeBlock = (): string => {
    if (blockKind === undefined) return '';
    blockKind = undefined;
    return sseEvent('content_block_stop', { type: 'content_block_stop', index: blockIndex });
  };
  const openBlock = (kind: 'text' | 'tool', block: unknown): string => {
    const out = closeBlock();
    blockIndex += 1;
    blockKind = kind;
    return out + sseEvent('content_block_start', { type: 'content_block_start', index: blockIndex, content_block: block });
  };

  const text = (t: string): string => {
    const open = blockKind === 'text' ? '' : openBlock('text', { type: 'text', text: '' });
    return open + sseEvent('content_block_delta', { type: 'content_block_delta', index: blockIndex, delta: { type: 'text_delta', text: t } });
  };
  const tool = (d: ToolCallDelta): string => {
    let out = '';
    if (blockKind !== 'tool' || d.index !== toolIndex) {
      toolIndex = d.index;
      out = openBlock('tool', { type: 'tool_use', id: d.id ?? '', name: d.function?.name ?? '', input: {} });
    }
    const args = d.function?.arguments;
    if (args) {
      out += sseEvent('content_block_delta', { type: 'content_block_delta', index: blockIndex, delta: { type: 'input_json_delta', partial_json: args } });
    }
    return out;
  };

  const encode = (chunk: ChatChunk): string => {
    if (!started) {
      id = chunk.id;
      model = chunk.model;
    }
    let out = started ? '' : start();
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice || choice.index !== 0) return out;
    if (choice.delta.content) out += text(choice.delta.content);
    for (const d of choice.delta.toolCalls ?? []) out += tool(d);
    if (choice.finishReason !== null) stopReason = choice.finishReason;
    return out;
  };

  const finish = (final?: Usage): string => {
    let out = started ? '' : start();
    out += closeBlock();
    const u = toAnthropicUsage(final ?? usage ?? options.initialUsage ?? emptyUsage());
    out += sseEvent('message_delta', { type: 'message_delta', delta: { stop_reason: toStopReason(stopReason ?? 'stop'), stop_sequence: null }, usage: u });
    return out + sseEvent('message_stop', { type: 'message_stop' });
  };

  return { encode, finish };
};
