import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Target } from '../spec/catalog.js';
import type { ChatResponse } from '../spec/chat.js';
import type { PlanInput, RoutingPlan, RoutingPolicy } from '../spec/routing.js';
import { FIXTURE_PROMPTS, fixtureArtifact, fixtureInput, fixtureTargets } from './policy-fixtures.js';
import type { RouterArtifact } from './router-artifact.js';

export interface ConformanceFixture {
  /** Four targets: small, medium, large@short (maxTokens 64) and large. */
  targets: Target[];
  /** An artefact knowing the models small, medium and large (with a small/large classifier). */
  artifact: RouterArtifact;
}

export interface ConformanceOptions {
  /** The policy records predictions (P(quality) and/or expected cost) for every candidate it considers. */
  predicts?: boolean;
}

/** A seeded sequence in [0,1): the same seed gives the same draws. */
const seeded = (seed: number) => () => {
  seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
  return seed / 4_294_967_296;
};

/** Every way of calling a policy the suite checks: prompts × candidate subsets × tiers × JSON mode. */
const inputs = (targets: readonly Target[]): PlanInput[] => {
  const subsets: Target[][] = [[...targets], [...targets].reverse(), targets.slice(0, 1), targets.slice(-1), targets.filter((_, i) => i % 2 === 1)];
  const out: PlanInput[] = [];
  for (const [i, text] of FIXTURE_PROMPTS.entries()) {
    for (const cands of subsets) {
      const tier = i % 2 === 0 ? 'standard' : 'premium';
      const json = i === 3 ? { responseFormat: { type: 'json_object' as const } } : {};
      out.push({ ...fixtureInput(text, cands, { tier }, json), random: seeded(i + 1) });
    }
  }
  return out;
};

/** Runs `plan` with ambient randomness and time forbidden: a policy must use the injected ones. */
const planStrictly = (policy: RoutingPolicy, input: PlanInput): RoutingPlan => {
  const random = Math.random;
  const now = Date.now;
  Math.random = () => { throw new Error('policy called Math.random (use input.random)'); };
  Date.now = () => { throw new Error('policy called Date.now (use input.now)'); };
  try {
    return policy.plan(input);
  } finally {
    Math.random = random;
    Date.now = now;
  }
};

const sampleResponse = (text: string): ChatResponse => ({
  id: 'r', created: 0, model: 'small', choices: [{ index: 0, message: { role: 'assistant', content: text }, finishReason: 'stop' }],
});

/**
 * The behaviour every RoutingPolicy must have. `makePolicy` builds the policy under test from the
 * fixture's targets and artefact (ignore them if the policy needs neither).
 */
export const runPolicyConformance = (name: string, makePolicy: (fixture: ConformanceFixture) => RoutingPolicy, options: ConformanceOptions = {}): void => {
  describe(`RoutingPolicy conformance: ${name}`, () => {
    const fixture: ConformanceFixture = { targets: fixtureTargets(), artifact: fixtureArtifact() };
    const policy = makePolicy(fixture);
    const cases = inputs(fixture.targets);

    test('deterministic given the injected random and now; never uses ambient ones', () => {
      for (const [i, input] of cases.entries()) {
        const a = planStrictly(policy, { ...input, random: seeded(i + 1) });
        const b = planStrictly(policy, { ...input, random: seeded(i + 1) });
        assert.deepEqual(a.targets.map((t) => t.id), b.targets.map((t) => t.id));
        assert.deepEqual(a.decision, b.decision);
        // Read explicitly: a policy may compute it in a getter (deepEqual compares own fields only).
        assert.equal(a.decision.propensity, b.decision.propensity);
      }
    });

    test('returns only the candidates it was given, each once, never none', () => {
      for (const input of cases) {
        const plan = planStrictly(policy, input);
        assert.ok(plan.targets.length > 0, 'empty plan');
        for (const t of plan.targets) assert.ok(input.candidates.includes(t), `${t.id} was not a candidate`);
        assert.equal(new Set(plan.targets).size, plan.targets.length, 'a target appears twice');
      }
    });

    test('the decision names the policy, a reason, a propensity in (0,1] and every candidate considered', () => {
      for (const input of cases) {
        const { decision } = planStrictly(policy, input);
        assert.equal(decision.policy, policy.name);
        assert.equal(decision.policyVersion, policy.version);
        assert.ok(typeof decision.reason === 'string' && decision.reason.length > 0, 'no reason');
        assert.ok(decision.propensity > 0 && decision.propensity <= 1, `propensity ${decision.propensity}`);
        const ids = decision.considered.map((c) => c.targetId).sort();
        assert.deepEqual(ids, input.candidates.map((c) => c.id).sort(), 'considered ≠ candidates');
      }
    });

    test('predictions are in range', () => {
      for (const input of cases) {
        for (const c of planStrictly(policy, input).decision.considered) {
          if (options.predicts) assert.ok(c.pQuality !== undefined || c.expectedCostMicroUsd !== undefined, `${c.targetId}: no prediction`);
          if (c.pQuality !== undefined) assert.ok(c.pQuality >= 0 && c.pQuality <= 1, `${c.targetId}: pQuality ${c.pQuality}`);
          if (c.expectedCostMicroUsd !== undefined) assert.ok(Number.isInteger(c.expectedCostMicroUsd) && c.expectedCostMicroUsd >= 0);
          if (c.expectedOutputTokens !== undefined) assert.ok(c.expectedOutputTokens >= 0);
          if (c.expectedLatencyMs !== undefined) assert.ok(c.expectedLatencyMs >= 0);
        }
      }
    });

    test('a cascade hook, when planned, answers a yes or no for any answer', () => {
      for (const input of cases) {
        const plan = planStrictly(policy, input);
        if (!plan.cascade) continue;
        for (const text of ['', 'Paris', '{"a":1}', "I'm sorry, I can't help with that."]) {
          assert.equal(typeof plan.cascade.shouldEscalate(sampleResponse(text), input.features), 'boolean');
        }
      }
    });
  });
};
