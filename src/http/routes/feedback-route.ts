import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GatewayError } from '../../errors/index.js';
import type { FeedbackInput, FeedbackStatus } from '../../learning/submit-feedback.js';
import { zodIssueToGatewayError } from '../../wire/zod-issue-to-gateway-error.js';
import type { Identity } from '../authenticate.js';

export interface FeedbackRouteDeps {
  submitFeedback(tenant: string, input: FeedbackInput): Promise<FeedbackStatus>;
}

/** The wire body of POST /v1/feedback (docs/learning.md). */
const feedbackBodySchema = z.strictObject({
  decision_id: z.string().min(1).max(200),
  metric: z.string().min(1).max(100).optional(),
  value: z.union([z.boolean(), z.number().finite()], { error: 'expected true, false or a finite number (not a string)' }).optional(),
  thumbs: z.enum(['up', 'down']).optional(),
  comment: z.string().max(10_000).optional(),
  label: z.string().max(200).optional(),
  idempotency_key: z.string().min(1).max(200).optional(),
});

/** `thumbs: up|down` is sugar for the boolean metric `thumbs`; otherwise a value is required. */
const toInput = (body: z.infer<typeof feedbackBodySchema>): FeedbackInput => {
  if (body.thumbs !== undefined && (body.value !== undefined || (body.metric !== undefined && body.metric !== 'thumbs'))) {
    throw new GatewayError('invalid_request', 'thumbs: send either thumbs or metric/value, not both', { param: 'thumbs' });
  }
  if (body.thumbs === undefined && body.value === undefined) {
    throw new GatewayError('invalid_request', 'value: required (or thumbs: "up" | "down")', { param: 'value' });
  }
  return {
    decisionId: body.decision_id,
    metric: body.thumbs !== undefined ? 'thumbs' : (body.metric ?? 'score'),
    value: body.thumbs !== undefined ? body.thumbs === 'up' : body.value,
    ...(body.comment !== undefined ? { comment: body.comment } : {}),
    ...(body.label !== undefined ? { label: body.label } : {}),
    ...(body.idempotency_key !== undefined ? { idempotencyKey: body.idempotency_key } : {}),
  };
};

export const createFeedbackRoute = (deps: FeedbackRouteDeps) =>
  async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const identity = req.identity as Identity;
    if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
      throw new GatewayError('invalid_request', 'the body must be a JSON object', { param: 'body' });
    }
    const parsed = feedbackBodySchema.safeParse(req.body);
    if (!parsed.success) throw zodIssueToGatewayError(parsed.error);
    const input = toInput(parsed.data);
    const status = await deps.submitFeedback(identity.tenant, input);
    return reply.status(202).send({ object: 'feedback', decision_id: input.decisionId, metric: input.metric, status });
  };
