import type { ChatMessage, ChatRequest } from '../spec/chat.js';
import { LRUCache } from 'lru-cache';
import type { TokenCounter } from './create-token-counter.js';

export interface PromptUsage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
}

export interface PromptAccounting {
  /** Input tokens of a request and how many of them the simulated prompt cache serves. */
  measure(modelId: string, req: ChatRequest, caching: 'automatic' | 'explicit'): PromptUsage;
}

/** Rough chat-format overheads, as OpenAI documents them: ~3 tokens per message, 3 to prime the reply. */
const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;
const PER_IMAGE = 85;

/** FNV-1a, continued from `h`: prefix identities are chained hashes, not ever-longer string keys. */
const fnv = (h: number, text: string): number => {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
};

const hasCacheMarker = (m: ChatMessage): boolean =>
  Array.isArray(m.content) && m.content.some((p) => (p as { cache_control?: unknown }).cache_control != null);

const messageText = (m: ChatMessage): { text: string; images: number } => {
  let text = typeof m.content === 'string' ? m.content : '';
  let images = 0;
  if (Array.isArray(m.content)) {
    for (const p of m.content) {
      if (p.type === 'text' && typeof p.text === 'string') text += p.text;
      else if (p.type === 'image_url' || p.type === 'image') images += 1;
    }
  }
  for (const call of m.toolCalls ?? []) text += call.function.name + call.function.arguments;
  return { text, images };
};

/**
 * Simulated prompt caching, simple but with the real rules' shape:
 * - automatic (OpenAI): the longest message-aligned prefix this model saw recently is cached,
 *   when it has at least `minCacheTokens` tokens;
 * - explicit (Anthropic): only prefixes ending at a cache_control marker; a hit reads the
 *   cache, a miss writes it (cacheWriteTokens).
 * Each model keeps a bounded set of recently seen prefix hashes (oldest evicted first).
 */
export const createPromptAccounting = (counter: TokenCounter, minCacheTokens = 1024, maxPrefixes = 10_000): PromptAccounting => {
  // lru-cache, not a Map evicted from its front: see src/learning/pending-decisions.ts.
  const seenByModel = new Map<string, LRUCache<number, number>>();
  const remember = (seen: LRUCache<number, number>, key: number, tokens: number): void => {
    seen.set(key, tokens);
  };

  const measure: PromptAccounting['measure'] = (modelId, req, caching) => {
    let seen = seenByModel.get(modelId);
    if (seen === undefined) seenByModel.set(modelId, (seen = new LRUCache<number, number>({ max: maxPrefixes })));
    const toolsJson = req.tools ? JSON.stringify(req.tools) : '';
    let tokens = REPLY_PRIMING + counter.count(toolsJson);
    let hash = fnv(2166136261, toolsJson);
    const prefixTokens: number[] = [];
    const prefixHash: number[] = [];
    for (const m of req.messages) {
      const { text, images } = messageText(m);
      tokens += PER_MESSAGE + counter.count(text) + images * PER_IMAGE;
      hash = fnv(fnv(hash, m.role), text);
      prefixTokens.push(tokens);
      prefixHash.push(hash);
    }
    const usage: PromptUsage = { inputTokens: tokens, cachedInputTokens: 0, cacheWriteTokens: 0 };
    const last = req.messages.length - 1;
    if (caching === 'automatic') {
      for (let i = last; i >= 0; i--) {
        if (seen.has(prefixHash[i] as number)) {
          if ((prefixTokens[i] as number) >= minCacheTokens) usage.cachedInputTokens = prefixTokens[i] as number;
          break;
        }
      }
      remember(seen, prefixHash[last] as number, tokens);
      if (last > 0) remember(seen, prefixHash[last - 1] as number, prefixTokens[last - 1] as number);
      return usage;
    }
    // Explicit: the breakpoints are the prefixes ending at a marker (a marked tool list is the first).
    const marks: Array<[hash: number, tokens: number]> = [];
    if (req.tools?.some((t) => t.cache_control)) marks.push([fnv(2166136261, toolsJson), REPLY_PRIMING + counter.count(toolsJson)]);
    req.messages.forEach((m, i) => {
      if (hasCacheMarker(m)) marks.push([prefixHash[i] as number, prefixTokens[i] as number]);
    });
    const lastMark = marks.at(-1);
    if (lastMark === undefined || lastMark[1] < minCacheTokens) return usage;
    let read = 0;
    for (let j = marks.length - 1; j >= 0; j--) {
      const [h, t] = marks[j] as [number, number];
      if (seen.has(h)) {
        read = t;
        break;
      }
    }
    usage.cachedInputTokens = read;
    usage.cacheWriteTokens = lastMark[1] - read;
    for (const [h, t] of marks) remember(seen, h, t);
    return usage;
  };
  return { measure };
};
