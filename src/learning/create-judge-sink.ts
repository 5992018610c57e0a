import type { ChatMessage } from '../spec/chat.js';
import type { EventSink } from '../spec/events.js';
import type { JudgeSampler } from './judge-sampler.js';
import type { JudgeWorker } from './judge-worker.js';

const textOf = (m: ChatMessage | undefined): string => {
  if (!m) return '';
  if (typeof m.content === 'string') return m.content;
  if (!Array.isArray(m.content)) return '';
  return m.content.map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('');
};

/**
 * Feeds sampled answers to the judge: an event sink on request-end, so the request path only pays
 * for one sampling draw. Only successful non-streaming answers carry their response; the texts
 * are copied into the bounded judge queue and never logged.
 */
export const createJudgeSink = (deps: { sampler: JudgeSampler; worker: JudgeWorker; now(): number; random(): number }): EventSink => (e) => {
  if (e.type !== 'request-end' || e.status !== 200 || !e.response || !e.request) return;
  if (!deps.sampler.sample(deps.now(), deps.random)) return;
  const question = textOf([...e.request.messages].reverse().find((m) => m.role === 'user'));
  const answer = textOf(e.response.choices[0]?.message);
  if (answer === '') return;
  deps.worker.enqueue({ decisionId: e.decisionId, tenant: e.tenant, route: e.route, question, answer });
};
