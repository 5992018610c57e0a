import { z } from 'zod';
import type { DatasetRecord } from '../datasets/dataset-record.js';

/**
 * What can go wrong with a simulated call:
 * - rate_limit: 429 with Retry-After; server_error: 500; overloaded: 503 (OpenAI) / 529 (Anthropic)
 * - timeout: never answers (until the client gives up or the simulator closes)
 * - stall: headers and a first chunk, then silence
 * - cut: the socket is destroyed mid-way (a stream cut, or a truncated JSON body)
 * - malformed: 200 with invalid JSON; wrong_content_type: 200 with an HTML page
 */
export const FAULT_KINDS = ['rate_limit', 'server_error', 'overloaded', 'timeout', 'stall', 'cut', 'malformed', 'wrong_content_type'] as const;

const rate = z.number().min(0).max(1).optional();

export const simulatedModelSchema = z.strictObject({
  id: z.string().min(1),
  ttftMs: z.number().nonnegative(),
  tokensPerSecond: z.number().positive(),
  contextWindow: z.number().int().positive(),
});

/** Faults of one model: probabilities per call (drawn from the seeded PRNG) and a deterministic queue. */
export const faultsSchema = z.strictObject({
  rate429: rate,
  rate5xx: rate,
  rateOverloaded: rate,
  rateTimeout: rate,
  rateStall: rate,
  rateCut: rate,
  rateMalformed: rate,
  rateWrongContentType: rate,
  /** Retry-After sent with simulated 429s (default 1). */
  retryAfterSeconds: z.number().nonnegative().optional(),
  /** Consumed one per call, before the rates are considered (tests use this). */
  failNext: z.array(z.enum(FAULT_KINDS)).optional(),
});

/** Body of POST /_sim/faults: `model` is a model id or `*` for every model without its own faults. */
export const setFaultsBodySchema = faultsSchema.extend({ model: z.string().min(1) });

export type FaultKind = (typeof FAULT_KINDS)[number];
export type SimulatedModel = z.infer<typeof simulatedModelSchema>;
export type Faults = z.infer<typeof faultsSchema>;

export interface SimulatorOptions {
  models: SimulatedModel[];
  /** Multiplies every simulated delay: 0 = instant (tests, benchmarks), 1 = real time. */
  latencyScale?: number;
  /** Prompts whose real per-model outcomes the simulated models answer with. */
  dataset?: DatasetRecord[];
  /** Static faults per model id (or `*`). */
  faults?: Record<string, Faults>;
  /** Seed of the fault PRNG (default 1). */
  seed?: number;
  /** Smallest prompt prefix that is cached (OpenAI and Anthropic: 1024 tokens). */
  minCacheTokens?: number;
  /** Seconds clock for `created` (tests inject it). */
  nowSeconds?: () => number;
}

export interface ModelStats {
  calls: number;
  faults: number;
  byFault: Partial<Record<FaultKind, number>>;
}
