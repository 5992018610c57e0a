import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { PolicyVersionRecord } from '../../spec/learning.js';
import { zodIssueToGatewayError } from '../../wire/zod-issue-to-gateway-error.js';

/** Policy versions as the admin API needs them (src/learning/policy-versions.ts). */
export interface PolicyAdmin {
  list(route?: string): Promise<PolicyVersionRecord[]>;
  promote(id: string): Promise<PolicyVersionRecord>;
  rollback(route: string): Promise<PolicyVersionRecord>;
  snapshot(route: string, kind: string): Promise<PolicyVersionRecord>;
}

export interface AdminPolicyDeps {
  policies: PolicyAdmin;
}

const listQuery = z.strictObject({ route: z.string().min(1).optional(), blob: z.enum(['true', 'false']).optional() });
const routeBody = z.strictObject({ route: z.string().min(1) });
const idParams = z.strictObject({ id: z.string().min(1).max(200) });

const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw zodIssueToGatewayError(r.error);
  return r.data;
};

/** The blob can be large: listed only on request. */
const view = (v: PolicyVersionRecord, withBlob: boolean) => {
  const { blob, ...rest } = v;
  return withBlob ? { object: 'policy_version', ...rest, blob } : { object: 'policy_version', ...rest };
};

/** `/admin/policies…`: list versions, snapshot, promote one, roll back a route (admin key). */
export const registerAdminPolicyRoutes = (app: FastifyInstance, deps: AdminPolicyDeps, adminAuth: (req: FastifyRequest) => Promise<void>): void => {
  app.get('/admin/policies', { preHandler: adminAuth }, async (req) => {
    const q = parse(listQuery, req.query);
    const versions = await deps.policies.list(q.route);
    return { object: 'list', data: versions.map((v) => view(v, q.blob === 'true')) };
  });
  app.post('/admin/policies/snapshot', { preHandler: adminAuth }, async (req, reply) => {
    const { route } = parse(routeBody, req.body);
    return reply.status(201).send(view(await deps.policies.snapshot(route, 'manual'), false));
  });
  app.post('/admin/policies/rollback', { preHandler: adminAuth }, async (req) => {
    const { route } = parse(routeBody, req.body);
    return view(await deps.policies.rollback(route), false);
  });
  app.post('/admin/policies/:id/promote', { preHandler: adminAuth }, async (req) => {
    const { id } = parse(idParams, req.params);
    return view(await deps.policies.promote(id), false);
  });
};
