import type { ChatChunk, ChatResponse } from '../spec/chat.js';

/**
 * A whole answer as the chunks a streaming upstream would have sent: per choice, the role with all
 * of its content and tool calls, then its finish reason; then the usage chunk. For a streaming
 * request answered by a cascade's panel, whose members answer non-streaming.
 */
export async function* responseAsChunks(r: ChatResponse): AsyncGenerator<ChatChunk> {
  const head = { id: r.id, created: r.created, model: r.model };
  for (const c of r.choices) {
    const m = c.message;
    const toolCalls = m.toolCalls?.map((t, index) => ({ index, id: t.id, type: t.type, function: { name: t.function.name, arguments: t.function.arguments } }));
    yield { ...head, choices: [{ index: c.index, delta: { role: 'assistant', content: typeof m.content === 'string' ? m.content : null, ...(toolCalls ? { toolCalls } : {}) }, finishReason: null }] };
    yield { ...head, choices: [{ index: c.index, delta: {}, finishReason: c.finishReason }] };
  }
  if (r.usage) yield { ...head, choices: [], usage: r.usage };
}
