import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicy, policyConfigSchema } from '../policy-config.js';
import { fixtureArtifact, fixtureInput, fixtureTargets } from '../policy-fixtures.js';

const artifact = fixtureArtifact();
const targets = fixtureTargets();
const classifier = (extra: Record<string, unknown> = {}) => createPolicy(policyConfigSchema.parse({ type: 'classifier', artifact: 'a.json', ...extra }), { artifact });

test('easy prompts go to the small model, reasoning ones to the large; the other is first fallback', () => {
  const easy = classifier().plan(fixtureInput('Translate into French: good morning', targets));
  assert.deepEqual(easy.targets.slice(0, 2).map((t) => t.id), ['small', 'large']);
  assert.equal(easy.decision.reason, 'small-good-enough');
  assert.ok((easy.decision.considered.find((c) => c.targetId === 'small')?.pQuality ?? 0) > 0.5);
  const hard = classifier().plan(fixtureInput('Prove step by step that 7 is prime', targets));
  assert.deepEqual(hard.targets.slice(0, 2).map((t) => t.id), ['large', 'small']);
  assert.equal(hard.decision.reason, 'large-needed');
});

test('the threshold moves the split; the pair can name targets with settings', () => {
  assert.equal(classifier({ threshold: 0.99 }).plan(fixtureInput('hi', targets)).targets[0]?.id, 'large');
  assert.equal(classifier({ threshold: 0 }).plan(fixtureInput('Prove it step by step', targets)).targets[0]?.id, 'small');
  assert.equal(classifier({ large: 'large@short' }).plan(fixtureInput('Prove it step by step', targets)).targets[0]?.id, 'large@short');
});

test('a missing half of the pair falls back to the other; an artefact without a classifier is refused', () => {
  const onlyLarge = targets.filter((t) => t.model.id !== 'small');
  assert.equal(classifier().plan(fixtureInput('hi', onlyLarge)).targets[0]?.id, 'large');
  const { classifier: _, ...without } = artifact;
  assert.throws(() => createPolicy(policyConfigSchema.parse({ type: 'classifier', artifact: 'old.json' }), { artifact: without }), /has no classifier/);
});
