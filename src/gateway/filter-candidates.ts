import type { Target } from '../spec/catalog.js';
import type { ChatRequest } from '../spec/chat.js';
import type { CandidatePrediction, Features } from '../spec/routing.js';
import { GatewayError } from '../errors/index.js';
import type { Breakers } from './circuit-breaker.js';

export interface FilterResult {
  candidates: Target[];
  excluded: CandidatePrediction[];
}

const missingCapability = (t: Target, f: Features, stream: boolean): string | null => {
  const c = t.model.capabilities;
  if (f.hasTools && !c.tools) return 'no-tools';
  if (f.hasImages && !c.vision) return 'no-vision';
  if (f.jsonMode && !c.jsonMode) return 'no-json-mode';
  if (stream && !c.streaming) return 'no-streaming';
  return null;
};

/** Output room a request needs besides its prompt: what it asked for, else a modest default. */
const outputRoom = (t: Target, f: Features): number => Math.min(f.requestedMaxTokens ?? t.params.maxTokens ?? 256, t.model.maxOutputTokens);

/**
 * Drops targets that cannot serve this request (capabilities, context window) or are cooling down.
 * If every target is cooling down we do not fail instantly: the one whose cooldown ends first is
 * kept as a forced probe, because failing every request while all breakers are open turns a
 * provider blip into a full outage.
 */
export const filterCandidates = (
  targets: readonly Target[],
  request: ChatRequest,
  features: Features,
  breakers: Breakers,
  now: number,
): FilterResult => {
  const capable: Target[] = [];
  const excluded: CandidatePrediction[] = [];
  let reasonAll = '';
  for (const t of targets) {
    const missing = missingCapability(t, features, request.stream);
    if (missing) {
      excluded.push({ targetId: t.id, excluded: missing });
      reasonAll = missing;
    } else if (features.inputTokens + outputRoom(t, features) > t.model.contextWindow) {
      excluded.push({ targetId: t.id, excluded: 'context-window' });
      reasonAll ||= 'context-window';
    } else capable.push(t);
  }
  if (capable.length === 0) {
    if (excluded.every((e) => e.excluded === 'context-window')) {
      throw new GatewayError('context_length_exceeded', `the prompt (${features.inputTokens} tokens) does not fit the context window of any target`, { param: 'messages' });
    }
    throw new GatewayError('no_capable_target', `no target can serve this request (${reasonAll})`, { param: 'model' });
  }
  const candidates = capable.filter((t) => breakers.state(t.id) !== 'open' || breakers.openUntil(t.id) <= now);
  if (candidates.length > 0) {
    for (const t of capable) if (!candidates.includes(t)) excluded.push({ targetId: t.id, excluded: 'breaker-open' });
    return { candidates, excluded };
  }
  const soonest = capable.reduce((a, b) => (breakers.openUntil(b.id) < breakers.openUntil(a.id) ? b : a));
  return { candidates: [soonest], excluded };
};
