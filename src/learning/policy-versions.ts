import type { LearningStore, PolicyVersionRecord } from '../spec/learning.js';
import type { PolicyLearner } from '../spec/routing.js';
import { GatewayError } from '../errors/index.js';

export interface PolicyVersionsDeps {
  store: LearningStore;
  /** Learning policies by route (routes whose policy has a learner). */
  learners: ReadonlyMap<string, PolicyLearner>;
  now(): number;
  newId(): string;
  /** Online updates between two automatic snapshots. */
  snapshotEvery: number;
  onError(err: unknown, what: string): void;
  /** Expected conditions worth a log line (a version a learner refuses at start-up); default onError. */
  onWarning?(err: unknown, what: string): void;
}

/** A snapshot holding no statistics: a freshly started policy with nothing learned in shared state. */
const isEmpty = (blob: string): boolean => {
  try {
    const parsed = JSON.parse(blob) as { stats?: Record<string, unknown> };
    return parsed.stats !== undefined && Object.keys(parsed.stats).length === 0;
  } catch {
    return false;
  }
};

/**
 * Versioned snapshots of the learning policies in the ledger database. Every snapshot becomes the
 * active version and its id is stamped on the decisions (and ledger rows) that follow; promote makes
 * any stored version active again (its state restored), rollback promotes the active one's parent.
 * Route-wide versions use tenant `*`: per-tenant statistics live inside the blob.
 */
export const createPolicyVersions = (deps: PolicyVersionsDeps) => {
  const active = new Map<string, string>();
  const updates = new Map<string, number>();
  const learnerOf = (route: string): PolicyLearner => {
    const learner = deps.learners.get(route);
    if (!learner) throw new GatewayError('not_found', `route '${route}' has no learning policy`, { param: 'route' });
    return learner;
  };

  const snapshot = async (route: string, kind: string, status: PolicyVersionRecord['status'] = 'active'): Promise<PolicyVersionRecord> => {
    const learner = learnerOf(route);
    const version: PolicyVersionRecord = {
      id: `pv-${deps.newId()}`, route, tenant: '*', kind, created: Math.round(deps.now()), parent: active.get(route) ?? null, status, blob: learner.snapshot(),
    };
    if (status === 'active') {
      // Stamped at once: decisions from now on are made by this state, whether or not the write has landed.
      learner.setVersion(version.id);
      active.set(route, version.id);
      updates.set(route, 0);
    }
    await deps.store.savePolicyVersion(version);
    return version;
  };

  const promote = async (id: string): Promise<PolicyVersionRecord> => {
    const stored = await deps.store.getPolicyVersion(id);
    if (!stored) throw new GatewayError('not_found', `policy version '${id}' does not exist`, { param: 'id' });
    const learner = learnerOf(stored.route);
    learner.restore(stored.blob, stored.id);
    const v = await deps.store.activatePolicyVersion(id);
    active.set(v.route, v.id);
    updates.set(v.route, 0);
    return v;
  };

  return {
    /**
     * At start-up: a route with an active stored version continues it — restored when the shared
     * statistics are empty (a restart of a single process), only stamped when other replicas already
     * hold live statistics (restoring would erase their newer evidence); else an initial version.
     */
    async init(): Promise<void> {
      for (const [route, learner] of deps.learners) {
        const [current] = await deps.store.listPolicyVersions({ route, tenant: '*', status: 'active' });
        if (!current) {
          await snapshot(route, 'initial');
          continue;
        }
        active.set(route, current.id);
        if (learner.fresh?.() ?? isEmpty(learner.snapshot())) {
          try {
            learner.restore(current.blob, current.id);
          } catch (err) {
            // Only a version the learner refuses (learned from another estimator file) is skipped; anything else stops start-up.
            if (!(err instanceof GatewayError) || err.code !== 'invalid_request') throw err;
            (deps.onWarning ?? deps.onError)(err, `${route}: the active version ${current.id} cannot be restored; starting from a new initial version (its parent)`);
            await snapshot(route, 'initial');
          }
        } else learner.setVersion(current.id);
      }
    },
    snapshot,
    promote,
    async rollback(route: string): Promise<PolicyVersionRecord> {
      learnerOf(route);
      const id = active.get(route);
      const current = id ? await deps.store.getPolicyVersion(id) : undefined;
      if (!current?.parent) throw new GatewayError('invalid_request', `route '${route}': the active version has no parent to roll back to`, { param: 'route' });
      return promote(current.parent);
    },
    list: (route?: string) => deps.store.listPolicyVersions(route === undefined ? {} : { route }),
    /** One online update happened on `route`: snapshot every `snapshotEvery`. */
    updated(route: string): void {
      if (!deps.learners.has(route)) return;
      const n = (updates.get(route) ?? 0) + 1;
      updates.set(route, n);
      if (n >= deps.snapshotEvery) snapshot(route, 'online-update').catch((err: unknown) => deps.onError(err, 'policy snapshot failed'));
    },
    activeVersion: (route: string): string | undefined => active.get(route),
    /** At shutdown: a snapshot of every learner updated since its last one, so a restart continues from it. */
    async flushUpdates(): Promise<void> {
      for (const [route, n] of updates) if (n > 0) await snapshot(route, 'online-update').catch((err: unknown) => deps.onError(err, 'policy snapshot failed'));
    },
  };
};
export type PolicyVersions = ReturnType<typeof createPolicyVersions>;
