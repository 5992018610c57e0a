import type { DecisionRecord, FeedbackRecord, FeedbackSource, PolicyVersionRecord, PolicyVersionStatus } from '../spec/learning.js';

/** Column lists and row mappings shared by the SQLite and Postgres learning stores. */
export const DECISION_COLUMNS = [
  'decision_id', 'request_id', 'ts', 'tenant', 'route', 'policy', 'policy_version', 'chosen', 'served', 'propensity',
  'considered', 'context', 'task_type', 'cost_micro_usd', 'latency_ms', 'status',
] as const;
export const FEEDBACK_COLUMNS = ['decision_id', 'tenant', 'metric', 'value', 'source', 'ts', 'comment', 'label', 'idempotency_key', 'target'] as const;
export const POLICY_VERSION_COLUMNS = ['id', 'route', 'tenant', 'kind', 'created', 'parent', 'status', 'blob'] as const;

export type SqlValue = string | number | null;
const int = Math.round;

export const decisionValues = (d: DecisionRecord): SqlValue[] => [
  d.decisionId, d.requestId, int(d.ts), d.tenant, d.route, d.policy, d.policyVersion, d.chosen, d.served, d.propensity,
  JSON.stringify(d.considered), JSON.stringify(d.context), d.taskType, int(d.costMicroUsd), int(d.latencyMs), int(d.status),
];

export const feedbackValues = (f: FeedbackRecord): SqlValue[] => [
  f.decisionId, f.tenant, f.metric, f.value, f.source, int(f.ts), f.comment ?? null, f.label ?? null, f.idempotencyKey ?? '',
  f.target ?? null,
];

export const policyVersionValues = (v: PolicyVersionRecord): SqlValue[] => [v.id, v.route, v.tenant, v.kind, int(v.created), v.parent, v.status, v.blob];

/** A row as either driver returns it (Postgres BIGINT arrives as a string). */
export type DbRow = Record<string, string | number | null>;
const num = (v: string | number | null | undefined): number => (v === null || v === undefined ? 0 : Number(v));
const str = (v: string | number | null | undefined): string => (v === null || v === undefined ? '' : String(v));
const optional = (v: string | number | null | undefined): string | undefined => (v === null || v === undefined ? undefined : String(v));

export const toDecision = (r: DbRow): DecisionRecord => ({
  decisionId: str(r['decision_id']), requestId: str(r['request_id']), ts: num(r['ts']), tenant: str(r['tenant']),
  route: str(r['route']), policy: str(r['policy']), policyVersion: str(r['policy_version']), chosen: str(r['chosen']),
  served: optional(r['served']) ?? null, propensity: num(r['propensity']),
  considered: JSON.parse(str(r['considered'])) as DecisionRecord['considered'],
  context: JSON.parse(str(r['context'])) as number[], taskType: str(r['task_type']),
  costMicroUsd: num(r['cost_micro_usd']), latencyMs: num(r['latency_ms']), status: num(r['status']),
});

export const toFeedback = (r: DbRow): FeedbackRecord => {
  const key = str(r['idempotency_key']);
  const comment = optional(r['comment']);
  const label = optional(r['label']);
  const target = optional(r['target']);
  return {
    decisionId: str(r['decision_id']), tenant: str(r['tenant']), metric: str(r['metric']), value: num(r['value']),
    source: str(r['source']) as FeedbackSource, ts: num(r['ts']),
    ...(comment !== undefined ? { comment } : {}), ...(label !== undefined ? { label } : {}), ...(key !== '' ? { idempotencyKey: key } : {}),
    ...(target !== undefined ? { target } : {}),
  };
};

export const toPolicyVersion = (r: DbRow): PolicyVersionRecord => ({
  id: str(r['id']), route: str(r['route']), tenant: str(r['tenant']), kind: str(r['kind']), created: num(r['created']),
  parent: optional(r['parent']) ?? null, status: str(r['status']) as PolicyVersionStatus, blob: str(r['blob']),
});

/**
 * WHERE clause for the list queries, with placeholders from `mark` (`?` for SQLite, `$n` for Postgres).
 * Values are always bound; only the shape of the query changes the SQL text.
 */
export const whereOf = (
  filters: ReadonlyArray<[column: string, op: '=' | '>=' | '<', value: SqlValue | undefined]>,
  mark: (value: SqlValue) => string,
): string => {
  const parts = filters.filter(([, , v]) => v !== undefined).map(([c, op, v]) => `${c} ${op} ${mark(v as SqlValue)}`);
  return parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '';
};
