import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatRequest } from '../spec/chat.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { Answerer } from './create-answerer.js';
import type { FaultPlan } from './create-fault-plan.js';
import type { PromptAccounting } from './create-prompt-accounting.js';
import type { FaultKind, ModelStats, SimulatedModel } from './simulator-options.js';
import type { SimErrorKind, SimProtocol, SimReply, StreamPlan } from './simulator-protocols.js';
import { END, splitArguments, splitPieces, writePaced, type PacedStep } from './write-paced.js';

export interface SimulatorCore {
  models: ReadonlyMap<string, SimulatedModel>;
  latencyScale: number;
  plan: FaultPlan;
  accounting: PromptAccounting;
  answerer: Answerer;
  stats: Map<string, ModelStats>;
  nowSeconds: () => number;
  nextId: () => string;
}

const JSON_TYPE = 'application/json';
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

export const sendJson = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
};

const HTTP_FAULTS: Partial<Record<FaultKind, SimErrorKind>> = { rate_limit: 'rate_limit', server_error: 'server_error', overloaded: 'overloaded' };
const FAULT_MESSAGES: Readonly<Record<SimErrorKind, string>> = {
  invalid: 'invalid request',
  not_found: 'not found',
  rate_limit: 'Rate limit reached for requests (simulated)',
  server_error: 'The server had an error while processing your request (simulated)',
  overloaded: 'Overloaded (simulated)',
};

/** Faults decided before any work: error statuses, silence, a wrong content type. */
const earlyFault = (core: SimulatorCore, protocol: SimProtocol, fault: FaultKind, modelId: string, res: ServerResponse): boolean => {
  const kind = HTTP_FAULTS[fault];
  if (kind !== undefined) {
    const { status, body } = protocol.error(kind, FAULT_MESSAGES[kind]);
    const headers: Record<string, string> = kind === 'rate_limit' ? { 'retry-after': String(core.plan.retryAfterSeconds(modelId)) } : {};
    sendJson(res, status, body, headers);
    return true;
  }
  if (fault === 'timeout') return true; // never answer: the client's timeout or abort ends it
  if (fault === 'wrong_content_type') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    return true;
  }
  return false;
};

const streamSteps = (plan: StreamPlan, fault: FaultKind | undefined, protocol: SimProtocol, res: ServerResponse): PacedStep[] => {
  // end() rather than destroy(): flush what was written, then close mid-response (no RST racing the data).
  const destroy = (): void => void res.socket?.end();
  if (fault === 'stall') return [plan.head, ...plan.pieces.slice(0, 1)];
  if (fault === 'cut') return [plan.head, ...plan.pieces.slice(0, Math.ceil(plan.pieces.length / 2)), destroy];
  if (fault === 'malformed') return [plan.head, protocol.brokenEvent, plan.tail, END];
  return [plan.head, ...plan.pieces, plan.tail, END];
};

const reply = (core: SimulatorCore, protocol: SimProtocol, m: SimulatedModel, req: ChatRequest, res: ServerResponse, fault: FaultKind | undefined): void => {
  const prompt = core.accounting.measure(m.id, req, protocol.caching);
  if (prompt.inputTokens > m.contextWindow) {
    const { status, body } = protocol.contextError(prompt.inputTokens, m.contextWindow);
    return sendJson(res, status, body);
  }
  const budget = Math.min(req.maxTokens ?? Infinity, m.contextWindow - prompt.inputTokens);
  const answer = core.answerer.answer(m.id, req, Math.max(1, budget), protocol.toolIdPrefix);
  const n = req.n ?? 1;
  const usage = { ...prompt, outputTokens: answer.outputTokens * n, reasoningTokens: 0 };
  const r: SimReply = { id: protocol.idPrefix + core.nextId(), created: core.nowSeconds(), model: m.id, answer, usage, n, includeUsage: req.includeUsage };
  const headers: Record<string, string> = answer.score === undefined ? {} : { 'x-simulator-score': String(answer.score) };
  const scale = core.latencyScale;
  const ttft = m.ttftMs * scale;
  if (!req.stream) {
    const body = fault === 'malformed' ? '{"id":"sim","choices":[{"message": oops' : protocol.json(r);
    res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body), ...headers });
    const half = body.slice(0, body.length >> 1);
    // A cut or stall leaves the declared content-length unmet: the client sees a truncated body.
    if (fault === 'cut') return writePaced(res, [half, () => void res.socket?.end()], ttft, 0);
    if (fault === 'stall') return writePaced(res, [half], ttft, 0);
    return writePaced(res, [body, END], ttft + (answer.outputTokens / m.tokensPerSecond) * 1000 * scale, 0);
  }
  const call = answer.toolCalls?.[0];
  const pieces = call ? splitArguments(call.function.arguments) : splitPieces(answer.text);
  const plan = protocol.stream(r, pieces);
  const interval = pieces.length === 0 ? 0 : (answer.outputTokens / pieces.length / m.tokensPerSecond) * 1000 * scale;
  res.writeHead(200, { ...SSE_HEADERS, ...headers });
  writePaced(res, streamSteps(plan, fault, protocol, res), ttft, interval);
};

const countCall = (core: SimulatorCore, modelId: string, fault: FaultKind | undefined): void => {
  let s = core.stats.get(modelId);
  if (s === undefined) core.stats.set(modelId, (s = { calls: 0, faults: 0, byFault: {} }));
  s.calls += 1;
  if (fault !== undefined) {
    s.faults += 1;
    s.byFault[fault] = (s.byFault[fault] ?? 0) + 1;
  }
};

/** One chat call in either protocol: validate, pick a fault, answer (paced) or fail as the real provider would. */
export const handleSimulatedChat = (core: SimulatorCore, protocol: SimProtocol, raw: string, _req: IncomingMessage, res: ServerResponse): void => {
  let req: ChatRequest;
  try {
    req = protocol.parse(JSON.parse(raw) as unknown);
  } catch (err) {
    const message = err instanceof GatewayError ? err.message : 'We could not parse the JSON body of your request.';
    const { status, body } = protocol.error('invalid', message, err instanceof GatewayError ? err.param : undefined);
    return sendJson(res, status, body);
  }
  const model = core.models.get(req.model);
  if (model === undefined) {
    const { status, body } = protocol.error('not_found', `The model \`${req.model}\` does not exist or you do not have access to it.`);
    return sendJson(res, status, body);
  }
  const fault = core.plan.pick(model.id);
  countCall(core, model.id, fault);
  if (fault !== undefined && earlyFault(core, protocol, fault, model.id, res)) return;
  reply(core, protocol, model, req, res, fault);
};
