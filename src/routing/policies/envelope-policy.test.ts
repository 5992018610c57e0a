import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CandidatePrediction, TargetStats } from '../../spec/routing.js';
import { createPolicy, policyConfigSchema } from '../policy-config.js';
import { fixtureArtifact, fixtureInput, fixtureTargets } from '../policy-fixtures.js';

const artifact = fixtureArtifact();
const targets = fixtureTargets();
const envelope = (extra: Record<string, unknown> = {}) => createPolicy(policyConfigSchema.parse({ type: 'envelope', artifact: 'a.json', ...extra }), { artifact });
const byId = (considered: CandidatePrediction[]) => new Map(considered.map((c) => [c.targetId, c]));

test('each setting is its own candidate: a tight maxTokens bills fewer tokens and risks truncation', () => {
  const c = byId(envelope().plan(fixtureInput('Write a python function that parses a CSV file', targets)).decision.considered);
  const short = c.get('large@short');
  const full = c.get('large');
  assert.ok(short && full);
  // Code answers of `large` run to 1,600 tokens in the fixture; 64 tokens rarely suffice.
  assert.ok((short.expectedOutputTokens ?? 0) <= 64 && (full.expectedOutputTokens ?? 0) > 64);
  assert.ok((short.expectedCostMicroUsd ?? 0) < (full.expectedCostMicroUsd ?? 0));
  assert.ok((short.pQuality ?? 1) < 0.1 * (full.pQuality ?? 0), `${short.pQuality} vs ${full.pQuality}`);
  assert.ok((short.expectedLatencyMs ?? 0) < (full.expectedLatencyMs ?? 0));
  assert.equal(short.expectedTtftMs, full.expectedTtftMs);
});

test('a request max_tokens caps every candidate; a cheap model whose answers fit wins at the floor', () => {
  const plan = envelope({ qualityFloor: 0.8 }).plan(fixtureInput('Translate into French: good morning', targets, {}, { maxTokens: 20 }));
  for (const c of plan.decision.considered) assert.ok((c.expectedOutputTokens ?? 0) <= 20, c.targetId);
  const easy = envelope({ qualityFloor: 0.8 }).plan(fixtureInput('Translate into French: good morning', targets));
  assert.equal(easy.targets[0]?.id, 'small');
  assert.equal(easy.decision.reason, 'cheapest-meeting-floor');
});

test('latency comes from live statistics when there are some, else the catalog prior', () => {
  const input = fixtureInput('hi', targets);
  const slow: TargetStats = { requests: 50, errorRate: 0, ttftP95Ms: 5_000, latencyP95Ms: 9_000, tokensPerSecond: 10 };
  const prior = byId(envelope().plan(input).decision.considered).get('small');
  const live = byId(envelope().plan({ ...input, stats: { get: (id) => (id === 'small' ? slow : undefined) } }).decision.considered).get('small');
  assert.equal(prior?.expectedTtftMs, 104);
  assert.equal(live?.expectedTtftMs, 5_000);
  assert.ok((live?.expectedLatencyMs ?? 0) > 5_000 + 1_000);
  const slo = envelope({ latencySloMs: 3_000 }).plan({ ...input, stats: { get: (id) => (id === 'small' ? slow : undefined) } });
  assert.equal(byId(slo.decision.considered).get('small')?.excluded, 'over-latency-slo');
  assert.notEqual(slo.targets[0]?.id, 'small');
});

test('a panel in front of expensive choices: cheap members first when the choice costs more (streams too); never for cheap choices or missing members', () => {
  const guarded = envelope({ qualityFloor: 0.8, panel: { members: ['small', 'medium'] } });
  const hard = 'Prove step by step that the square root of 2 is irrational';
  const plain = envelope({ qualityFloor: 0.8 }).plan(fixtureInput(hard, targets));
  assert.equal(plain.targets[0]?.model.id, 'large');
  const plan = guarded.plan(fixtureInput(hard, targets));
  assert.deepEqual(plan.targets.slice(0, 3).map((t) => t.id), ['small', 'medium', plain.targets[0]?.id]);
  assert.equal(plan.targets.length, targets.length, 'every candidate is still in the chain, once');
  assert.equal(plan.decision.reason, `${plain.decision.reason}+panel`);
  assert.equal(plan.cascade?.panel?.size, 2);
  const answer = (content: string) => ({ id: 'r', created: 0, model: 'm', choices: [{ index: 0, message: { role: 'assistant' as const, content }, finishReason: 'stop' as const }] });
  assert.deepEqual(plan.cascade?.panel?.judge([answer('B'), answer('(b)')]), { verdict: 'agree', accept: true });
  assert.deepEqual(plan.cascade?.panel?.judge([answer('B'), answer('A')]), { verdict: 'disagree', accept: false });
  assert.equal(plan.cascade?.shouldEscalate(answer('x'), fixtureInput(hard, targets).features), false, 'the chosen target answers after a split: no further escalation');
  // The choice is a member (an easy prompt), or a member is not a candidate: no panel.
  assert.equal(guarded.plan(fixtureInput('Translate into French: good morning', targets)).cascade, undefined);
  assert.equal(guarded.plan(fixtureInput(hard, targets, {}, { stream: true })).cascade?.panel?.size, 2, 'streams too: members answer whole');
  assert.equal(guarded.plan(fixtureInput(hard, targets.filter((t) => t.id !== 'medium'))).cascade, undefined);
  assert.throws(() => envelope({ panel: { members: ['small'] } }), /members/);
});
