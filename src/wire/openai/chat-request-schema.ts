import { z } from 'zod';

/** Upper bounds on one request: large enough for real traffic, small enough to refuse abuse cheaply. */
export const MAX_MESSAGES = 10_000;
export const MAX_CHOICES = 16;
export const MAX_TOOLS = 128;
export const MAX_STOP_SEQUENCES = 4;
export const MAX_OUTPUT_TOKENS = 1_000_000;
export const MAX_TOP_LOGPROBS = 20;

export const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;

const cacheControlSchema = z.object({ type: z.literal('ephemeral'), ttl: z.string().optional() });

/**
 * Parts stay loose: only `type` is required here, the text/image checks run in parse-chat-request
 * so that unknown part types (input_audio, file…) pass through untouched.
 */
export const wireContentPartSchema = z.looseObject({
  type: z.string().min(1),
  text: z.string().optional(),
  image_url: z.looseObject({ url: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() }).optional(),
  cache_control: cacheControlSchema.optional(),
});

export const wireToolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

export const wireMessageSchema = z.object({
  role: z.enum(ROLES),
  content: z
    .union([z.string(), z.array(wireContentPartSchema), z.null()], {
      error: 'expected a string, an array of content parts or null',
    })
    .optional(),
  name: z.string().optional(),
  tool_calls: z.array(wireToolCallSchema).optional(),
  tool_call_id: z.string().optional(),
  refusal: z.string().nullable().optional(),
});

export const wireToolSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'expected 1-64 letters, digits, _ or -'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});

export const wireToolChoiceSchema = z.union(
  [
    z.enum(['none', 'auto', 'required']),
    z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }) }),
  ],
  { error: 'expected none, auto, required or {type: "function", function: {name}}' },
);

export const wireResponseFormatSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('text') }),
    z.object({ type: z.literal('json_object') }),
    z.object({
      type: z.literal('json_schema'),
      json_schema: z.object({
        name: z.string().min(1),
        schema: z.record(z.string(), z.unknown()).optional(),
        strict: z.boolean().nullable().optional(),
        description: z.string().optional(),
      }),
    }),
  ],
  { error: 'expected type text, json_object or json_schema' },
);

const optionalInt = (min: number, max: number) => z.number().int().min(min).max(max).nullable().optional();
const optionalNumber = (min: number, max: number) => z.number().min(min).max(max).nullable().optional();

/** The top-level keys this schema interprets; any other key goes to ChatRequest.extra. */
export const KNOWN_REQUEST_KEYS = new Set([
  'model', 'messages', 'stream', 'stream_options', 'max_tokens', 'max_completion_tokens', 'temperature',
  'top_p', 'n', 'stop', 'seed', 'presence_penalty', 'frequency_penalty', 'tools', 'tool_choice',
  'parallel_tool_calls', 'response_format', 'reasoning_effort', 'user', 'logprobs', 'top_logprobs',
]);

/** OpenAI Chat Completions request body (snake_case). Nullable fields mean "not set", as OpenAI treats them. */
export const wireChatRequestSchema = z.looseObject({
  model: z.string({ error: 'expected a model name' }).min(1, 'expected a model name'),
  messages: z
    .array(wireMessageSchema, { error: 'expected an array of messages' })
    .min(1, 'expected at least one message')
    .max(MAX_MESSAGES, `expected at most ${MAX_MESSAGES} messages`),
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
  max_tokens: optionalInt(1, MAX_OUTPUT_TOKENS),
  max_completion_tokens: optionalInt(1, MAX_OUTPUT_TOKENS),
  temperature: optionalNumber(0, 2),
  top_p: optionalNumber(0, 1),
  n: optionalInt(1, MAX_CHOICES),
  stop: z
    .union([z.string(), z.array(z.string()).max(MAX_STOP_SEQUENCES)], {
      error: `expected a string or an array of at most ${MAX_STOP_SEQUENCES} strings`,
    })
    .nullable()
    .optional(),
  seed: z.number().int().nullable().optional(),
  presence_penalty: optionalNumber(-2, 2),
  frequency_penalty: optionalNumber(-2, 2),
  tools: z.array(wireToolSchema).max(MAX_TOOLS).optional(),
  tool_choice: wireToolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  response_format: wireResponseFormatSchema.optional(),
  reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).nullable().optional(),
  user: z.string().optional(),
  logprobs: z.boolean().nullable().optional(),
  top_logprobs: optionalInt(0, MAX_TOP_LOGPROBS),
});

export type WireChatRequest = z.infer<typeof wireChatRequestSchema>;
export type WireMessage = z.infer<typeof wireMessageSchema>;
export type WireContentPart = z.infer<typeof wireContentPartSchema>;
