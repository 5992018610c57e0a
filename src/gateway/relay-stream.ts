import type { ChatChunk, Usage } from '../spec/chat.js';
import type { AttemptOutcome } from '../spec/ledger.js';
import type { CallSignal } from '../spec/provider.js';
import { GatewayError, ProviderError } from '../errors/index.js';
import type { AttemptController } from './abortable.js';

export interface RelayEnd {
  outcome: AttemptOutcome;
  errorCode: string | null;
  usage: Usage | undefined;
  /** Text and tool-call arguments streamed, for estimating usage when the upstream sent none. */
  text: string;
  endedAt: number;
}

/** Turns whatever an adapter or an abort threw into a ProviderError (retry/fallback) or GatewayError (stop). */
export const normalizeError = (err: unknown, signal: CallSignal, provider: string): ProviderError | GatewayError => {
  if (signal.aborted && (signal.reason instanceof ProviderError || signal.reason instanceof GatewayError)) return signal.reason;
  if (err instanceof ProviderError || err instanceof GatewayError) return err;
  return new ProviderError('upstream_error', `upstream call failed: ${(err as Error)?.message ?? String(err)}`, { provider, cause: err });
};

export const chunkHasOutput = (c: ChatChunk): boolean =>
  c.usage !== undefined ||
  c.choices.some((ch) => (ch.delta.content ?? '') !== '' || (ch.delta.toolCalls?.length ?? 0) > 0 || ch.finishReason !== null || (ch.delta.refusal ?? '') !== '');

const appendText = (text: string, c: ChatChunk): string => {
  for (const ch of c.choices) {
    if (ch.delta.content) text += ch.delta.content;
    if (ch.delta.toolCalls) for (const tc of ch.delta.toolCalls) text += tc.function?.arguments ?? '';
  }
  return text;
};

/**
 * Relays a committed stream: the chunks buffered before commit, then the rest of the upstream
 * iterator with an inter-chunk stall deadline. Once the first byte has reached the client there is
 * no falling back, so a failure here is re-thrown for the http layer to end the stream with a
 * proper SSE error event — never a silent truncation reported as success.
 */
export async function* relayStream(
  buffered: readonly ChatChunk[],
  rest: AsyncIterator<ChatChunk> | null,
  ctl: AttemptController,
  stall: { ms: number; provider: string },
  now: () => number,
  onEnd: (end: RelayEnd) => void,
): AsyncGenerator<ChatChunk> {
  let usage: Usage | undefined;
  let text = '';
  let settled: Omit<RelayEnd, 'usage' | 'text' | 'endedAt'> | null = null;
  try {
    for (const c of buffered) {
      if (c.usage) usage = c.usage;
      text = appendText(text, c);
      yield c;
    }
    if (rest) {
      ctl.arm(stall.ms, () => new ProviderError('upstream_timeout', `stream stalled: no data for ${stall.ms} ms`, { provider: stall.provider }));
      for (;;) {
        const r = await rest.next();
        if (r.done) break;
        ctl.arm(stall.ms, () => new ProviderError('upstream_timeout', `stream stalled: no data for ${stall.ms} ms`, { provider: stall.provider }));
        if (r.value.usage) usage = r.value.usage;
        text = appendText(text, r.value);
        yield r.value;
      }
    }
    settled = { outcome: 'ok', errorCode: null };
  } catch (err) {
    const e = normalizeError(err, ctl.signal, stall.provider);
    settled = { outcome: e.code === 'client_closed' ? 'aborted' : 'error', errorCode: e.code };
    throw e;
  } finally {
    if (settled === null) {
      // The consumer stopped early: the client went away. Stop paying for tokens nobody reads.
      settled = { outcome: 'aborted', errorCode: 'client_closed' };
      ctl.abort(new GatewayError('client_closed', 'client closed the connection'));
      void rest?.return?.().catch(() => undefined);
    }
    ctl.release();
    onEnd({ ...settled, usage, text, endedAt: now() });
  }
}
