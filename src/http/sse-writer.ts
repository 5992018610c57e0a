import type { ServerResponse } from 'node:http';

/** Writes SSE frames with back-pressure: a slow client slows the relay instead of filling memory. */
export const createSseWriter = (res: ServerResponse) => {
  const write = async (text: string): Promise<void> => {
    if (res.destroyed || res.writableEnded) return;
    if (!res.write(text)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  };
  return {
    data: (json: string): Promise<void> => write(`data: ${json}\n\n`),
    event: (name: string, json: string): Promise<void> => write(`event: ${name}\ndata: ${json}\n\n`),
    raw: write,
    end: (): void => {
      if (!res.writableEnded) res.end();
    },
  };
};
export type SseWriter = ReturnType<typeof createSseWriter>;
