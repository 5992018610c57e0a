import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ChatOutcome, CallContext } from '../../gateway/handle-chat.js';
import type { ChatRequest } from '../../spec/chat.js';
import { GatewayError } from '../../errors/index.js';
import { AbortScope } from '../../gateway/abort-scope.js';
import type { Identity } from '../authenticate.js';
import type { InboundProtocol } from '../protocols/inbound-protocol.js';
import { parseEnvelope, parseTags } from '../request-headers.js';
import { createSseWriter } from '../sse-writer.js';
import { toGatewayError } from '../to-gateway-error.js';

export interface ChatRouteDeps {
  handleChat(request: ChatRequest, ctx: CallContext): Promise<ChatOutcome>;
  maxMessages: number;
}

const usd = (micro: number): string => (micro / 1_000_000).toFixed(6);

const decisionHeaders = (o: ChatOutcome): Record<string, string | number> => ({
  'x-request-id': o.requestId,
  'x-switchyard-model': o.target.model.id,
  'x-switchyard-target': o.target.id,
  'x-switchyard-route': o.route,
  'x-switchyard-decision-id': o.decisionId,
  'x-switchyard-policy': `${o.plan.decision.policy}@${o.plan.decision.policyVersion}`,
});

/** The key's tags, overridden by the request's; no copy when either side has none (the tag objects are never mutated). */
const mergeTags = (own: Readonly<Record<string, string>>, sent: Record<string, string>): Readonly<Record<string, string>> => {
  if (!hasKeys(sent)) return own;
  return hasKeys(own) ? { ...own, ...sent } : sent;
};
const hasKeys = (o: object): boolean => {
  for (const _ in o) return true;
  return false;
};

/** The one chat handler, shared by every inbound protocol. */
export const createChatRoute = (deps: ChatRouteDeps, protocol: InboundProtocol) =>
  async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const identity = req.identity as Identity;
    const request = protocol.parse(req.body);
    if (request.messages.length > deps.maxMessages) {
      throw new GatewayError('invalid_request', `messages: at most ${deps.maxMessages} messages per request (got ${request.messages.length})`, { param: 'messages' });
    }
    // Client disconnect aborts the upstream call: nobody should pay for tokens nobody reads.
    const controller = new AbortScope();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) controller.abort(new GatewayError('client_closed', 'client closed the connection'));
    });
    const envelope = parseEnvelope(req.headers);
    // Every field named (no spread): one object shape for every request.
    const ctx: CallContext = {
      requestId: req.id, apiKeyId: identity.keyId, tenant: identity.tenant, tier: identity.tier,
      tags: mergeTags(identity.tags, parseTags(req.headers)), qualityFloor: envelope.qualityFloor, latencySloMs: envelope.latencySloMs,
      maxCostMicroUsd: envelope.maxCostMicroUsd, requestedModel: envelope.requestedModel, controller,
    };
    const outcome = await deps.handleChat(request, ctx);
    if (outcome.kind === 'response') return answer(reply, outcome, protocol);
    return relay(reply, outcome, protocol, request);
  };

/**
 * A whole answer is written straight to the socket: one writeHead with every header and one end,
 * where Fastify's reply would merge the headers, run the onSend hooks and look up a serializer
 * for the same bytes — microseconds on every request. Errors never get here: they are thrown
 * before, and answered by the app's error handler.
 */
const answer = (reply: FastifyReply, outcome: Extract<ChatOutcome, { kind: 'response' }>, protocol: InboundProtocol): FastifyReply => {
  const body = JSON.stringify(protocol.response(outcome.response));
  const headers = decisionHeaders(outcome);
  headers['x-switchyard-cost-usd'] = usd(outcome.costMicroUsd);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = Buffer.byteLength(body);
  // writeHead only stores the head (and validates it); hijacking after it means a bad header
  // value still reaches the app's error handler instead of leaving the request unanswered.
  reply.raw.writeHead(200, headers);
  reply.hijack();
  reply.raw.end(body);
  return reply;
};

const relay = async (reply: FastifyReply, outcome: Extract<ChatOutcome, { kind: 'stream' }>, protocol: InboundProtocol, request: ChatRequest): Promise<FastifyReply> => {
  reply.hijack();
  const res = reply.raw;
  const headers = decisionHeaders(outcome);
  headers['content-type'] = 'text/event-stream; charset=utf-8';
  headers['cache-control'] = 'no-cache';
  headers.connection = 'keep-alive';
  res.writeHead(200, headers);
  const sse = createSseWriter(res);
  const encoder = protocol.streamEncoder(request);
  try {
    for await (const chunk of outcome.chunks) {
      const text = encoder.chunk(chunk);
      if (text) await sse.raw(text);
    }
    await sse.raw(encoder.end());
  } catch (err) {
    await sse.raw(encoder.error(toGatewayError(err)));
  } finally {
    sse.end();
  }
  return reply;
};
