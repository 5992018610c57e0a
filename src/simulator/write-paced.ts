import type { ServerResponse } from 'node:http';

/** Ends the response: a marker rather than a closure so that it can be merged with the last write. */
export const END = Symbol('end');

/** One step of a paced answer: text to write, the end of the response, or an action (cut the socket). */
export type PacedStep = string | typeof END | (() => void);

/**
 * Runs `steps` on `res`: the first after `firstDelayMs`, the others `intervalMs` apart. Steps
 * due at the same moment are merged into one write (one syscall; with latencyScale 0 the whole
 * answer is a single `res.end(text)` and no timer). The one pending timer is cleared when the
 * client goes away.
 */
export const writePaced = (res: ServerResponse, steps: readonly PacedStep[], firstDelayMs: number, intervalMs: number): void => {
  let i = 0;
  // Writes every step due now; returns when a wait is needed or the steps are done.
  const flush = (): void => {
    let text = '';
    do {
      const step = steps[i++] as PacedStep;
      if (typeof step === 'string') text += step;
      else if (step === END) {
        res.end(text);
        return;
      } else {
        if (text !== '') res.write(text);
        text = '';
        step();
      }
    } while (i < steps.length && (intervalMs <= 0 || steps[i] === END) && !res.destroyed);
    if (text !== '') res.write(text);
  };
  if (firstDelayMs <= 0 && intervalMs <= 0) return flush();
  let timer: NodeJS.Timeout | undefined;
  res.once('close', () => clearTimeout(timer));
  const tick = (): void => {
    timer = undefined;
    if (res.destroyed) return;
    flush();
    if (i < steps.length && !res.writableEnded) timer = setTimeout(tick, intervalMs);
  };
  timer = setTimeout(tick, firstDelayMs);
};

/** Splits text into stream pieces of a few words each (a real stream sends a token or two per chunk; this keeps it cheap). */
export const splitPieces = (text: string, wordsPerPiece = 4): string[] => {
  const words = text.match(/\S+\s*|\s+/g);
  if (words === null) return text === '' ? [] : [text];
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerPiece) pieces.push(words.slice(i, i + wordsPerPiece).join(''));
  return pieces;
};

/** Tool-call arguments stream as a few slices of the JSON string. */
export const splitArguments = (args: string, pieces = 3): string[] => {
  const size = Math.max(1, Math.ceil(args.length / pieces));
  const out: string[] = [];
  for (let i = 0; i < args.length; i += size) out.push(args.slice(i, i + size));
  return out;
};
