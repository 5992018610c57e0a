import type { ChatChunk, ChatRequest, ChatResponse, Usage } from '../spec/chat.js';
import { parseMessagesRequest } from '../wire/anthropic/parse-messages-request.js';
import { createAnthropicStreamEncoder } from '../wire/anthropic/create-anthropic-stream-encoder.js';
import { toMessagesResponse } from '../wire/anthropic/to-messages-response.js';
import { toWireResponse, toWireUsage } from '../wire/openai/to-wire-response.js';
import { parseChatRequest } from '../wire/openai/parse-chat-request.js';
import type { SimAnswer } from './create-answerer.js';

export type SimErrorKind = 'invalid' | 'not_found' | 'rate_limit' | 'server_error' | 'overloaded';

export interface SimReply {
  id: string;
  created: number;
  model: string;
  answer: SimAnswer;
  usage: Usage;
  n: number;
  includeUsage: boolean;
}

/** A stream as three parts: sent at first token, one per tick, and at the end. */
export interface StreamPlan {
  head: string;
  pieces: string[];
  tail: string;
}

export interface SimProtocol {
  readonly idPrefix: string;
  readonly toolIdPrefix: string;
  readonly caching: 'automatic' | 'explicit';
  parse(body: unknown): ChatRequest;
  error(kind: SimErrorKind, message: string, param?: string): { status: number; body: string };
  contextError(inputTokens: number, contextWindow: number): { status: number; body: string };
  json(reply: SimReply): string;
  stream(reply: SimReply, textPieces: readonly string[]): StreamPlan;
  /** An SSE event whose data is not valid JSON. */
  readonly brokenEvent: string;
}

const FINGERPRINT = 'fp_simulator';

export const toCanonicalResponse = (r: SimReply): ChatResponse => ({
  id: r.id,
  created: r.created,
  model: r.model,
  systemFingerprint: FINGERPRINT,
  choices: Array.from({ length: r.n }, (_, index) => {
    const message: ChatResponse['choices'][number]['message'] = { role: 'assistant', content: r.answer.toolCalls ? null : r.answer.text };
    if (r.answer.toolCalls) message.toolCalls = r.answer.toolCalls;
    return { index, message, finishReason: r.answer.finishReason };
  }),
  usage: r.usage,
});

const OPENAI_ERRORS: Readonly<Record<SimErrorKind, [status: number, type: string, code: string | null]>> = {
  invalid: [400, 'invalid_request_error', null],
  not_found: [404, 'invalid_request_error', 'model_not_found'],
  rate_limit: [429, 'requests', 'rate_limit_exceeded'],
  server_error: [500, 'server_error', null],
  overloaded: [503, 'server_error', null],
};

/** OpenAI chunks are built from templates: this is the benchmarks' mock upstream hot path. */
const openaiStream = (r: SimReply, textPieces: readonly string[]): StreamPlan => {
  const usageNull = r.includeUsage ? ',"usage":null' : '';
  const start = `data: {"id":"${r.id}","object":"chat.completion.chunk","created":${r.created},"model":${JSON.stringify(r.model)},"system_fingerprint":"${FINGERPRINT}","choices":[`;
  const chunk = (index: number, delta: string, finish: string): string =>
    `${start}{"index":${index},"delta":${delta},"logprobs":null,"finish_reason":${finish}}]${usageNull}}\n\n`;
  const call = r.answer.toolCalls?.[0];
  const indexes = Array.from({ length: r.n }, (_, i) => i);
  const headDelta = call
    ? `{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"${call.id}","type":"function","function":{"name":${JSON.stringify(call.function.name)},"arguments":""}}],"refusal":null}`
    : '{"role":"assistant","content":"","refusal":null}';
  const pieceDelta = (p: string): string =>
    call ? `{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(p)}}}]}` : `{"content":${JSON.stringify(p)}}`;
  let tail = indexes.map((i) => chunk(i, '{}', `"${r.answer.finishReason}"`)).join('');
  if (r.includeUsage) tail += `${start}],"usage":${JSON.stringify(toWireUsage(r.usage))}}\n\n`;
  return {
    head: indexes.map((i) => chunk(i, headDelta, 'null')).join(''),
    pieces: textPieces.map((p) => {
      const delta = pieceDelta(p);
      return indexes.map((i) => chunk(i, delta, 'null')).join('');
    }),
    tail: `${tail}data: [DONE]\n\n`,
  };
};

export const OPENAI_PROTOCOL: SimProtocol = {
  idPrefix: 'chatcmpl-',
  toolIdPrefix: 'call_',
  caching: 'automatic',
  parse: parseChatRequest,
  error(kind, message, param) {
    const [status, type, code] = OPENAI_ERRORS[kind];
    return { status, body: JSON.stringify({ error: { message, type, param: param ?? null, code } }) };
  },
  contextError: (input, window) => ({
    status: 400,
    body: JSON.stringify({
      error: {
        message: `This model's maximum context length is ${window} tokens. However, your messages resulted in ${input} tokens. Please reduce the length of the messages.`,
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    }),
  }),
  json: (r) => JSON.stringify(toWireResponse(toCanonicalResponse(r))),
  stream: openaiStream,
  brokenEvent: 'data: {"id":"chatcmpl-sim","choices":[{"delta":{"content":"oo\n\n',
};

const ANTHROPIC_ERRORS: Readonly<Record<SimErrorKind, [status: number, type: string]>> = {
  invalid: [400, 'invalid_request_error'],
  not_found: [404, 'not_found_error'],
  rate_limit: [429, 'rate_limit_error'],
  server_error: [500, 'api_error'],
  overloaded: [529, 'overloaded_error'],
};

const anthropicError = (status: number, type: string, message: string) => ({
  status,
  body: JSON.stringify({ type: 'error', error: { type, message } }),
});

const anthropicStream = (r: SimReply, textPieces: readonly string[]): StreamPlan => {
  // Anthropic reports input usage up front (message_start) and output at the end (message_delta).
  const encoder = createAnthropicStreamEncoder({ initialUsage: { ...r.usage, outputTokens: 1 } });
  const base = { id: r.id, created: r.created, model: r.model };
  const call = r.answer.toolCalls?.[0];
  const delta = (d: ChatChunk['choices'][number]['delta']): ChatChunk => ({ ...base, choices: [{ index: 0, delta: d, finishReason: null }] });
  const headDelta = call ? { role: 'assistant' as const, toolCalls: [{ index: 0, id: call.id, type: 'function' as const, function: { name: call.function.name, arguments: '' } }] } : { role: 'assistant' as const, content: '' };
  const head = encoder.encode(delta(headDelta)) + 'event: ping\ndata: {"type": "ping"}\n\n';
  const pieces = textPieces.map((p) => encoder.encode(delta(call ? { toolCalls: [{ index: 0, function: { arguments: p } }] } : { content: p })));
  const finish: ChatChunk = { ...base, choices: [{ index: 0, delta: {}, finishReason: r.answer.finishReason }] };
  return { head, pieces, tail: encoder.encode(finish) + encoder.finish(r.usage) };
};

export const ANTHROPIC_PROTOCOL: SimProtocol = {
  idPrefix: 'msg_',
  toolIdPrefix: 'toolu_',
  caching: 'explicit',
  parse: parseMessagesRequest,
  error(kind, message) {
    const [status, type] = ANTHROPIC_ERRORS[kind];
    return anthropicError(status, type, message);
  },
  contextError: (input, window) => anthropicError(400, 'invalid_request_error', `prompt is too long: ${input} tokens > ${window} maximum`),
  json: (r) => JSON.stringify(toMessagesResponse(toCanonicalResponse(r))),
  stream: anthropicStream,
  brokenEvent: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":\n\n',
};
