import {
  MAX_CHOICES,
  MAX_MESSAGES,
  MAX_OUTPUT_TOKENS,
  MAX_STOP_SEQUENCES,
  MAX_TOP_LOGPROBS,
  ROLES,
  type WireChatRequest,
} from './chat-request-schema.js';

/**
 * A hand-written check of the common request shape (text messages, plain settings), run before
 * the zod schema because zod costs tens of µs a request on the gateway's hot path. It only ever
 * says "certainly valid": anything it does not recognise, or that looks wrong, goes to the zod
 * schema, which accepts it or names the bad field exactly as before. So it must never accept a
 * body the schema rejects (fast-check-request.test.ts checks that against the schema).
 */

type Check = (v: unknown) => boolean;

const absent = (v: unknown): boolean => v === undefined || v === null;
const int = (min: number, max: number): Check => (v) => absent(v) || (Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max);
const num = (min: number, max: number): Check => (v) => absent(v) || (typeof v === 'number' && v >= min && v <= max);
const bool: Check = (v) => absent(v) || typeof v === 'boolean';
const stop: Check = (v) =>
  absent(v) || typeof v === 'string' || (Array.isArray(v) && v.length <= MAX_STOP_SEQUENCES && v.every((s) => typeof s === 'string'));

/** Top-level settings the fast path knows; any other known key (tools, response_format…) sends the body to zod. */
const SETTINGS: ReadonlyMap<string, Check> = new Map(Object.entries({
  stream: bool,
  max_tokens: int(1, MAX_OUTPUT_TOKENS),
  max_completion_tokens: int(1, MAX_OUTPUT_TOKENS),
  temperature: num(0, 2),
  top_p: num(0, 1),
  n: int(1, MAX_CHOICES),
  stop,
  seed: int(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  presence_penalty: num(-2, 2),
  frequency_penalty: num(-2, 2),
  parallel_tool_calls: bool,
  user: (v) => v === undefined || typeof v === 'string',
  logprobs: bool,
  top_logprobs: int(0, MAX_TOP_LOGPROBS),
} satisfies Record<string, Check>));
const SLOW_KEYS: ReadonlySet<string> = new Set(['stream_options', 'tools', 'tool_choice', 'response_format', 'reasoning_effort']);
const ROLE_SET: ReadonlySet<unknown> = new Set(ROLES);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalString = (v: unknown): boolean => v === undefined || typeof v === 'string';

/** A message with text (or no) content and none of tool_calls' nested shape. */
const simpleMessage = (m: unknown): boolean =>
  isObject(m) &&
  ROLE_SET.has(m['role']) &&
  (absent(m['content']) || typeof m['content'] === 'string') &&
  m['tool_calls'] === undefined &&
  optionalString(m['name']) &&
  optionalString(m['tool_call_id']) &&
  (absent(m['refusal']) || typeof m['refusal'] === 'string');

/** The body as the schema would return it, when it is certainly valid; undefined means "ask zod". */
export const fastCheckChatRequest = (body: Record<string, unknown>): WireChatRequest | undefined => {
  const model = body['model'];
  const messages = body['messages'];
  if (typeof model !== 'string' || model === '' || !Array.isArray(messages)) return undefined;
  if (messages.length === 0 || messages.length > MAX_MESSAGES || !messages.every(simpleMessage)) return undefined;
  for (const key in body) {
    if (SLOW_KEYS.has(key)) return undefined;
    const check = SETTINGS.get(key);
    if (check && !check(body[key])) return undefined;
  }
  return body as WireChatRequest;
};
