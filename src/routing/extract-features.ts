import { countTokens } from 'gpt-tokenizer';
import type { ChatRequest } from '../spec/chat.js';
import type { Features } from '../spec/routing.js';
import { hashNgrams } from './hash-ngrams.js';
import { scanText } from './scan-text.js';
import { CODE_BIT, MATH_BIT, REASONING_BIT, detectTask, matchesGated } from './task-rules.js';

/**
 * Exact BPE counting is linear in the text and costs ~1 µs per 10 characters here; beyond this
 * many characters the count is extrapolated from the exact count of the prefix, which keeps
 * feature extraction in microseconds for long prompts (context-window checks leave a margin).
 */
const EXACT_TOKEN_CHARS = 400;

/**
 * The scan and the regexes read a bounded window: the instruction opens a prompt and the question closes it,
 * while the middle (pasted context, few-shot examples) costs scan time without telling the task.
 * This bounds the worst case: a 100 kB prompt costs what a 1 kB one does.
 */
const WINDOW = 600;
export const windowOf = (text: string): string => (text.length > 2 * WINDOW ? `${text.slice(0, WINDOW)}\n${text.slice(-WINDOW)}` : text);

/**
 * Tokens of the messages joined as `text + '\n'` each, from the first EXACT_TOKEN_CHARS characters
 * of that join (`head`) and its length: the join itself is never built, since copying a long
 * conversation into one string cost more than everything else (~1 ms for 1 MB).
 */
const countTokensFast = (head: string, joinedLength: number): number => {
  const exact = countHead(head);
  return joinedLength <= EXACT_TOKEN_CHARS ? exact : Math.ceil((exact * joinedLength) / EXACT_TOKEN_CHARS);
};

/**
 * Token counts of recent heads. A head is the first EXACT_TOKEN_CHARS characters of a conversation,
 * which is where a product's system prompt or a task's few-shot examples sit, so the same head comes
 * back request after request; looking it up (one hash of ≤ 400 characters) costs a tenth of counting
 * it. Bounded and first-in-first-out: a stream of distinct heads costs one Map insert and delete each.
 */
const HEAD_CACHE_SIZE = 256;
const headCounts = new Map<string, number>();
const countHead = (head: string): number => {
  const known = headCounts.get(head);
  if (known !== undefined) return known;
  const n = countTokens(head);
  if (headCounts.size >= HEAD_CACHE_SIZE) headCounts.delete(headCounts.keys().next().value as string);
  headCounts.set(head, n);
  return n;
};

type Content = ChatRequest['messages'][number]['content'];

const textOf = (content: Content): string => {
  if (typeof content === 'string') return content;
  let text = '';
  if (Array.isArray(content)) for (const part of content) if (part.type === 'text' && typeof part.text === 'string') text += part.text;
  return text;
};

const hasImage = (content: Content): boolean => Array.isArray(content) && content.some((part) => part.type === 'image_url');

type Ngrams = ReturnType<typeof hashNgrams>;

/**
 * A request's features. A class, not an object literal, for the lazy n-grams: a literal with
 * getters is created in V8's dictionary mode — every field read on the request path becomes a
 * hash lookup, and each such object held for feedback (pending decisions) takes ~800 bytes of
 * property table (`node --allow-natives-syntax`: %HasFastProperties). Getters on the prototype
 * keep the fields in-object.
 */
class RequestFeatures implements Features {
  readonly inputTokens: number;
  readonly messageCount: number;
  readonly depth: number;
  readonly requestedMaxTokens: number | null;
  readonly taskType: Features['taskType'];
  readonly hasReasoningKeywords: boolean;
  readonly hasCode: boolean;
  readonly hasMath: boolean;
  readonly hasImages: boolean;
  readonly hasTools: boolean;
  readonly jsonMode: boolean;
  readonly language: string;
  #probe: string;
  #ngrams: Ngrams | undefined = undefined;

  /** Fields by name (a dozen positional numbers and booleans could be swapped unseen), copied in a fixed order: one shape. */
  constructor(f: Omit<Features, 'hashedNgrams' | 'hashedValues'>, probe: string) {
    this.inputTokens = f.inputTokens;
    this.messageCount = f.messageCount;
    this.depth = f.depth;
    this.requestedMaxTokens = f.requestedMaxTokens;
    this.taskType = f.taskType;
    this.hasReasoningKeywords = f.hasReasoningKeywords;
    this.hasCode = f.hasCode;
    this.hasMath = f.hasMath;
    this.hasImages = f.hasImages;
    this.hasTools = f.hasTools;
    this.jsonMode = f.jsonMode;
    this.language = f.language;
    this.#probe = probe;
  }

  /** Hashed n-grams only matter to learned text models: computed on first read, not per request. */
  #lazyNgrams(): Ngrams {
    return (this.#ngrams ??= hashNgrams(this.#probe));
  }

  get hashedNgrams(): Uint32Array {
    return this.#lazyNgrams().indices;
  }

  get hashedValues(): Float32Array {
    return this.#lazyNgrams().values;
  }
}

/** Features of a request, computed once and shared by every policy (pure; microseconds). */
export const extractFeatures = (request: ChatRequest): Features => {
  let head = '';
  let joinedLength = 0;
  let lastUser = '';
  let depth = 0;
  let hasImages = false;
  for (const m of request.messages) {
    const text = textOf(m.content);
    hasImages ||= hasImage(m.content);
    if (m.role === 'user') {
      depth += 1;
      lastUser = text;
    }
    if (head.length < EXACT_TOKEN_CHARS) head += `${text.slice(0, EXACT_TOKEN_CHARS - head.length)}\n`.slice(0, EXACT_TOKEN_CHARS - head.length);
    joinedLength += text.length + 1;
  }
  // Without a user text (rare) the whole conversation stands in for the prompt.
  const probe = lastUser || request.messages.map((m) => `${textOf(m.content)}\n`).join('');
  const window = windowOf(probe);
  const { language, wordBits, charBits } = scanText(window);
  return new RequestFeatures({
    inputTokens: countTokensFast(head, joinedLength) + 4 * request.messages.length,
    messageCount: request.messages.length,
    depth,
    requestedMaxTokens: request.maxTokens ?? null,
    taskType: detectTask(window, wordBits, charBits),
    hasReasoningKeywords: matchesGated(REASONING_BIT, window, wordBits, charBits),
    hasCode: matchesGated(CODE_BIT, window, wordBits, charBits),
    hasMath: matchesGated(MATH_BIT, window, wordBits, charBits),
    hasImages,
    hasTools: (request.tools?.length ?? 0) > 0,
    jsonMode: request.responseFormat !== undefined && request.responseFormat.type !== 'text',
    language,
  }, probe);
};
