import type { ChatChunk, ChunkChoice, Usage } from '../../spec/chat.js';
import { emptyUsage } from '../../spec/chat.js';
import { fromAnthropicUsage, fromStopReason } from './anthropic-usage.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface AnthropicStreamDecoder {
  /** One parsed SSE `data` object → the canonical chunk it amounts to, if any. */
  decode(event: Obj): ChatChunk | undefined;
  /** True once message_stop was seen: a stream that ends before this was cut. */
  readonly finished: boolean;
}

/**
 * Anthropic stream events → canonical chunks, mirroring OpenAI's sequence: a role chunk
 * (message_start), content / tool-call deltas, a finish chunk (message_delta), then a usage
 * chunk with empty choices (message_stop). Error events are the caller's to classify.
 */
export const createAnthropicStreamDecoder = (nowSeconds = Math.floor(Date.now() / 1000)): AnthropicStreamDecoder => {
  let id = '';
  let model = '';
  let usageRaw: Obj = {};
  let finished = false;
  // Anthropic numbers blocks across text and tools; OpenAI numbers tool calls only.
  const toolIndexOfBlock = new Map<number, number>();

  const chunk = (choice: ChunkChoice | undefined, usage?: Usage): ChatChunk => {
    const out: ChatChunk = { id, created: nowSeconds, model, choices: choice ? [choice] : [] };
    if (usage) out.usage = usage;
    return out;
  };
  const delta = (d: ChunkChoice['delta']): ChatChunk => chunk({ index: 0, delta: d, finishReason: null });

  const blockStart = (e: Obj): ChatChunk | undefined => {
    const block = e.content_block;
    if (!isObj(block)) return undefined;
    if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') return delta({ content: block.text });
    if (block.type !== 'tool_use') return undefined;
    const toolIndex = toolIndexOfBlock.size;
    toolIndexOfBlock.set(Number(e.index), toolIndex);
    const name = typeof block.name === 'string' ? block.name : '';
    const callId = typeof block.id === 'string' ? block.id : '';
    return delta({ toolCalls: [{ index: toolIndex, id: callId, type: 'function', function: { name, arguments: '' } }] });
  };

  const blockDelta = (e: Obj): ChatChunk | undefined => {
    const d = e.delta;
    if (!isObj(d)) return undefined;
    if (d.type === 'text_delta' && typeof d.text === 'string') return delta({ content: d.text });
    if (d.type === 'input_json_delta' && typeof d.partial_json === 'string') {
      const toolIndex = toolIndexOfBlock.get(Number(e.index)) ?? 0;
      return delta({ toolCalls: [{ index: toolIndex, function: { arguments: d.partial_json } }] });
    }
    return undefined; // thinking, signature and citation deltas have no canonical form
  };

  const decode = (e: Obj): ChatChunk | undefined => {
    switch (e.type) {
      case 'message_start': {
        const m = isObj(e.message) ? e.message : {};
        id = typeof m.id === 'string' ? m.id : '';
        model = typeof m.model === 'string' ? m.model : '';
        if (isObj(m.usage)) usageRaw = { ...m.usage };
        return delta({ role: 'assistant', content: '' });
      }
      case 'content_block_start':
        return blockStart(e);
      case 'content_block_delta':
        return blockDelta(e);
      case 'message_delta': {
        // message_delta usage counters are cumulative totals: overwrite, never add.
        if (isObj(e.usage)) for (const [k, v] of Object.entries(e.usage)) if (v !== null && v !== undefined) usageRaw[k] = v;
        const d = isObj(e.delta) ? e.delta : {};
        const reason = fromStopReason(d.stop_reason);
        return reason === null ? undefined : chunk({ index: 0, delta: {}, finishReason: reason });
      }
      case 'message_stop':
        finished = true;
        return chunk(undefined, Object.keys(usageRaw).length > 0 ? fromAnthropicUsage(usageRaw) : emptyUsage());
      default:
        return undefined;
    }
  };

  return {
    decode,
    get finished() {
      return finished;
    },
  };
};
