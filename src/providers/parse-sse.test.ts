import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSse, type SseEvent } from './parse-sse.js';

const collect = async (chunks: string[]): Promise<SseEvent[]> => {
  async function* body(): AsyncGenerator<Uint8Array> {
    for (const c of chunks) yield new TextEncoder().encode(c);
  }
  const out: SseEvent[] = [];
  for await (const ev of parseSse(body())) out.push(ev);
  return out;
};

test('events, event names, comments and multi-line data', async () => {
  const events = await collect([': keep-alive\n\nevent: message_start\ndata: {"a":1}\n\ndata: line1\ndata: line2\n\ndata:nospace\nid: 7\n\n']);
  assert.deepEqual(events, [
    { event: 'message_start', data: '{"a":1}' },
    { event: undefined, data: 'line1\nline2' },
    { event: undefined, data: 'nospace', id: '7' },
  ]);
});

test('CRLF and lone CR line ends, even split across chunks', async () => {
  const events = await collect(['data: a\r', '\n\r', '\ndata: b\r\rdata: c\n\n']);
  assert.deepEqual(events.map((e) => e.data), ['a', 'b', 'c']);
});

test('arbitrary chunk boundaries give the same events', async () => {
  const text = 'event: x\r\ndata: {"t":"héllo"}\r\n\r\ndata: [DONE]\n\n';
  const bytes = new TextEncoder().encode(text);
  for (let cut = 1; cut < bytes.length; cut++) {
    async function* body(): AsyncGenerator<Uint8Array> {
      yield bytes.slice(0, cut);
      yield bytes.slice(cut);
    }
    const out: SseEvent[] = [];
    for await (const ev of parseSse(body())) out.push(ev);
    assert.deepEqual(out, [{ event: 'x', data: '{"t":"héllo"}' }, { event: undefined, data: '[DONE]' }], `cut at ${cut}`);
  }
});

test('a final event without a trailing newline is still delivered', async () => {
  assert.deepEqual((await collect(['data: one\n\ndata: [DONE]'])).map((e) => e.data), ['one', '[DONE]']);
  assert.deepEqual((await collect(['data: two\n'])).map((e) => e.data), ['two']);
});

test('an event with no data lines is not dispatched', async () => {
  assert.deepEqual(await collect(['event: ping\n\n']), []);
});
