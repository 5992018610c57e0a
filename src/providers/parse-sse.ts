/** One Server-Sent Event; `event` is undefined for the default ("message") type. */
export interface SseEvent {
  event: string | undefined;
  data: string;
  id?: string;
}

interface SseState {
  data: string;
  hasData: boolean;
  event: string | undefined;
  id: string | undefined;
}

/** Applies one line to the state; returns the event a blank line completes, if any. */
const feedLine = (line: string, s: SseState): SseEvent | undefined => {
  if (line === '') {
    if (!s.hasData) {
      s.event = undefined;
      return undefined;
    }
    const ev: SseEvent = { event: s.event, data: s.data };
    if (s.id !== undefined) ev.id = s.id;
    s.data = '';
    s.hasData = false;
    s.event = undefined;
    return ev;
  }
  if (line.charCodeAt(0) === 58 /* ':' comment, e.g. keep-alives */) return undefined;
  const colon = line.indexOf(':');
  const field = colon < 0 ? line : line.slice(0, colon);
  const value = colon < 0 ? '' : line.slice(line.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
  if (field === 'data') {
    // Multi-line data is joined with \n, as the SSE spec says.
    s.data = s.hasData ? `${s.data}\n${value}` : value;
    s.hasData = true;
  } else if (field === 'event') s.event = value;
  else if (field === 'id') s.id = value;
  return undefined;
};

/**
 * Splits `buf` from `pos` into complete lines (LF, CRLF or lone CR). Returns the position of
 * the first unconsumed character. A CR at the very end is left for the next chunk unless `eof`,
 * because its LF may still be on the way.
 */
const splitLines = (buf: string, pos: number, eof: boolean, onLine: (line: string) => void): number => {
  let cr = buf.indexOf('\r', pos);
  for (;;) {
    if (cr !== -1 && cr < pos) cr = buf.indexOf('\r', pos);
    const lf = buf.indexOf('\n', pos);
    let end: number;
    let next: number;
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      if (cr === buf.length - 1 && !eof) return pos;
      end = cr;
      next = buf.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
    } else if (lf !== -1) {
      end = lf;
      next = lf + 1;
    } else return pos;
    onLine(buf.slice(pos, end));
    pos = next;
  }
};

/**
 * Server-Sent Events from a byte stream (an undici body), as an async generator. Handles
 * multi-line data, comments, CR/LF/CRLF line ends split across chunks, and a last event that
 * is not followed by a blank line (some servers end the body right after `data: [DONE]`).
 */
export async function* parseSse(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  const state: SseState = { data: '', hasData: false, event: undefined, id: undefined };
  const ready: SseEvent[] = [];
  const onLine = (line: string): void => {
    const ev = feedLine(line, state);
    if (ev) ready.push(ev);
  };
  let buf = '';
  for await (const chunk of body) {
    buf += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const pos = splitLines(buf, 0, false, onLine);
    buf = pos === 0 ? buf : buf.slice(pos);
    while (ready.length > 0) yield ready.shift() as SseEvent;
  }
  buf += decoder.decode();
  const pos = splitLines(buf, 0, true, onLine);
  if (pos < buf.length) onLine(buf.slice(pos));
  onLine('');
  while (ready.length > 0) yield ready.shift() as SseEvent;
}
