import { z } from 'zod';

/** Upper bounds on one Anthropic Messages request (same spirit as the OpenAI limits). */
export const MAX_ANTHROPIC_MESSAGES = 10_000;
export const MAX_ANTHROPIC_TOOLS = 128;
export const MAX_STOP_SEQUENCES_ANTHROPIC = 16;
export const MAX_ANTHROPIC_OUTPUT_TOKENS = 1_000_000;

export const cacheControlSchema = z.object({ type: z.literal('ephemeral'), ttl: z.string().optional() });

const textBlockSchema = z.looseObject({ type: z.literal('text'), text: z.string(), cache_control: cacheControlSchema.nullish() });

/**
 * Content blocks stay loose: the few fields we translate are checked, anything else (documents,
 * thinking, citations) is passed through to Anthropic untouched.
 */
export const anthropicBlockSchema = z.looseObject({
  type: z.string().min(1),
  text: z.string().optional(),
  source: z.looseObject({ type: z.string(), media_type: z.string().optional(), data: z.string().optional(), url: z.string().optional() }).optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
  tool_use_id: z.string().optional(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControlSchema.nullish(),
});

export const anthropicMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(anthropicBlockSchema)], { error: 'expected a string or an array of content blocks' }),
});

export const anthropicToolSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
  cache_control: cacheControlSchema.nullish(),
  type: z.string().optional(),
});

export const anthropicToolChoiceSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
    z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
    z.object({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
    z.object({ type: z.literal('none') }),
  ],
  { error: 'expected type auto, any, tool or none' },
);

/** Top-level keys this schema interprets; others go to ChatRequest.extra. */
export const KNOWN_MESSAGES_KEYS = new Set([
  'model', 'messages', 'system', 'max_tokens', 'metadata', 'stop_sequences', 'stream', 'temperature', 'top_p',
  'tools', 'tool_choice',
]);

export const messagesRequestSchema = z.looseObject({
  model: z.string({ error: 'expected a model name' }).min(1, 'expected a model name'),
  messages: z
    .array(anthropicMessageSchema, { error: 'expected an array of messages' })
    .min(1, 'expected at least one message')
    .max(MAX_ANTHROPIC_MESSAGES, `expected at most ${MAX_ANTHROPIC_MESSAGES} messages`),
  system: z.union([z.string(), z.array(textBlockSchema)], { error: 'expected a string or an array of text blocks' }).optional(),
  max_tokens: z.number({ error: `expected an integer from 1 to ${MAX_ANTHROPIC_OUTPUT_TOKENS}` }).int().min(1).max(MAX_ANTHROPIC_OUTPUT_TOKENS),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
  stop_sequences: z.array(z.string()).max(MAX_STOP_SEQUENCES_ANTHROPIC).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  tools: z.array(anthropicToolSchema).max(MAX_ANTHROPIC_TOOLS).optional(),
  tool_choice: anthropicToolChoiceSchema.optional(),
});

export type MessagesRequest = z.infer<typeof messagesRequestSchema>;
export type AnthropicMessage = z.infer<typeof anthropicMessageSchema>;
export type AnthropicBlock = z.infer<typeof anthropicBlockSchema>;
export type CacheControl = z.infer<typeof cacheControlSchema>;
