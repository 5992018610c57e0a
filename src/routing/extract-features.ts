import { countTokens } from 'gpt-tokenizer';
import type { ChatRequest } from '../spec/chat.js';
import type { Features, TaskType } from '../spec/routing.js';
import { detectLanguage } from './detect-language.js';
import { hashNgrams } from './hash-ngrams.js';

/**
 * Exact BPE counting is linear in the text and costs ~1 µs per 10 characters here; beyond this
 * many characters the count is extrapolated from the exact count of the prefix, which keeps
 * feature extraction in microseconds for long prompts (context-window checks leave a margin).
 */
const EXACT_TOKEN_CHARS = 400;

const TASK_RULES: ReadonlyArray<[TaskType, RegExp]> = [
  ['translation', /\btranslat(e|ion)\b|\binto (english|french|german|spanish|chinese|japanese)\b/i],
  ['sentiment', /\bsentiment\b|\b(positive|negative) or (negative|positive|neutral)\b/i],
  ['classification', /\bclassif(y|ication)\b|\bcategori[sz]e\b|\bwhich (category|label|class)\b|\blabel (this|the following)\b/i],
  ['extraction', /\bextract\b|\blist (all|every) (the )?\w+ (mentioned|in)\b|\bpull out\b|\bparse (the|this)\b/i],
  ['summarization', /\bsummar(y|ise|ize)\b|\btl;?dr\b/i],
  ['code', /```|\bdef \w+\(|\bfunction \w+\(|\bwrite (a |an )?(python|javascript|typescript|java|c\+\+|rust|go|sql)\b|\bimplement\b.*\b(function|class|method)\b|\bcode\b/i],
  ['math', /\b(solve|calculate|compute|evaluate)\b.*\d|\d\s*[-+*/^=]\s*\d|\bequation\b|\bintegral\b|\bderivative\b/i],
  ['reasoning', /\bstep[- ]by[- ]step\b|\bprove\b|\breason(ing)?\b|\bwhy does\b|\blogic(al)? puzzle\b|\bclue\b/i],
  ['writing', /\b(write|draft|compose) (a|an|the) (story|poem|essay|email|letter|blog|article|speech)\b/i],
  ['qa', /\?\s*$|^(what|who|when|where|which|how|is|are|does|do|can)\b/im],
];

const REASONING = /\b(step[- ]by[- ]step|think (carefully|step)|prove|derive|justify|explain why|analy[sz]e|trade-?offs?|reason)\b/i;
const CODE = /```|\b(def|class|import|return|function|const|let|var|public|static|void|#include)\b.*[({;:=]|=>|\bSELECT\b.+\bFROM\b/;
const MATH = /\d\s*[-+*/^=<>]\s*\d|\\frac|\\sum|\\int|\bsqrt\b|\b\d+\s*%|\b(equation|integral|derivative|probability|theorem)\b/i;

/**
 * The regexes read a bounded window: the instruction opens a prompt and the question closes it,
 * while the middle (pasted context, few-shot examples) costs scan time without telling the task.
 * This bounds the worst case: a 100 kB prompt costs what a 1 kB one does.
 */
const WINDOW = 600;
const windowOf = (text: string): string => (text.length > 2 * WINDOW ? `${text.slice(0, WINDOW)}\n${text.slice(-WINDOW)}` : text);

const detectTask = (text: string): TaskType => {
  for (const [task, re] of TASK_RULES) if (re.test(text)) return task;
  return 'chat';
};

const countTokensFast = (text: string): number => {
  if (text.length <= EXACT_TOKEN_CHARS) return countTokens(text);
  const exact = countTokens(text.slice(0, EXACT_TOKEN_CHARS));
  return Math.ceil((exact * text.length) / EXACT_TOKEN_CHARS);
};

/** Features of a request, computed once and shared by every policy (pure; microseconds). */
export const extractFeatures = (request: ChatRequest): Features => {
  let all = '';
  let lastUser = '';
  let depth = 0;
  let hasImages = false;
  for (const m of request.messages) {
    let text = '';
    if (typeof m.content === 'string') text = m.content;
    else if (Array.isArray(m.content)) {
      for (const part of m.content) {
        if (part.type === 'text' && typeof part.text === 'string') text += part.text;
        else if (part.type === 'image_url') hasImages = true;
      }
    }
    if (m.role === 'user') {
      depth += 1;
      lastUser = text;
    }
    all += text + '\n';
  }
  const probe = lastUser || all;
  const window = windowOf(probe);
  // Hashed n-grams only matter to learned text models: computed on first read, not per request.
  let ngrams: ReturnType<typeof hashNgrams> | undefined;
  const lazyNgrams = (): ReturnType<typeof hashNgrams> => (ngrams ??= hashNgrams(probe));
  return {
    inputTokens: countTokensFast(all) + 4 * request.messages.length,
    messageCount: request.messages.length,
    depth,
    requestedMaxTokens: request.maxTokens ?? null,
    taskType: detectTask(window),
    hasReasoningKeywords: REASONING.test(window),
    hasCode: CODE.test(window),
    hasMath: MATH.test(window),
    hasImages,
    hasTools: (request.tools?.length ?? 0) > 0,
    jsonMode: request.responseFormat !== undefined && request.responseFormat.type !== 'text',
    language: detectLanguage(window),
    get hashedNgrams() {
      return lazyNgrams().indices;
    },
    get hashedValues() {
      return lazyNgrams().values;
    },
  };
};
