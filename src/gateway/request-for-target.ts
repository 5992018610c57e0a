import type { Target } from '../spec/catalog.js';
import type { ChatRequest } from '../spec/chat.js';

/**
 * The request as sent to one target: the target's pinned generation settings apply (a target
 * *is* a model with its settings), except that a client asking for fewer tokens gets fewer.
 * Streams always ask the upstream for usage so that every streamed token can be billed; the
 * http layer drops the usage chunk again when the client did not ask for it.
 */
export const requestForTarget = (request: ChatRequest, target: Target): ChatRequest => {
  const p = target.params;
  if (p.maxTokens === undefined && p.temperature === undefined && p.reasoningEffort === undefined && (!request.stream || request.includeUsage)) {
    return request;
  }
  const out: ChatRequest = { ...request, includeUsage: request.stream ? true : request.includeUsage };
  if (p.maxTokens !== undefined) out.maxTokens = Math.min(p.maxTokens, request.maxTokens ?? p.maxTokens);
  if (p.temperature !== undefined) out.temperature = p.temperature;
  if (p.reasoningEffort !== undefined) out.reasoningEffort = p.reasoningEffort;
  return out;
};
