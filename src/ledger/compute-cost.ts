import type { ModelPrices } from '../spec/catalog.js';
import type { Usage } from '../spec/chat.js';

/*
 * Units. A price of X USD per 1M tokens is exactly X micro-USD per token. Prices in config are
 * decimals (0.075, 1.25, 3.75…) that binary floats cannot hold exactly, so each price is first
 * turned into an integer number of pico-USD per token (X × 10^6, rounded once: exact for any
 * price with up to six decimals). Token × pico-price products and their sum are then exact
 * integers, and the only rounding in the whole computation is the final pico → micro step.
 */
const PICO_PER_MICRO = 1_000_000;
const PICO_PER_USD = 1_000_000_000_000;

/** Token counts arrive from upstreams; anything odd (negative, NaN, fractional) is made safe here. */
const tokens = (n: number): number => (Number.isFinite(n) && n > 0 ? Math.round(n) : 0);

/** Config validation rejects bad prices; a non-finite or negative one still must not poison a row with NaN. */
const picoPerToken = (usdPerMtok: number): number => (Number.isFinite(usdPerMtok) && usdPerMtok > 0 ? Math.round(usdPerMtok * 1_000_000) : 0);

const picoPerRequest = (usd: number): number => (Number.isFinite(usd) && usd > 0 ? Math.round(usd * PICO_PER_USD) : 0);

/** Rounds pico-USD to micro-USD, half up; a non-zero amount never rounds down to 0 (see below). */
const picoToMicro = (pico: number): number => {
  if (pico <= 0) return 0;
  // A priced call is never recorded as free: "custom price logged as $0" is the classic ledger bug,
  // and a 0 would make a cheap-but-priced model indistinguishable from an unpriced one. The bias
  // is at most 1 micro-USD on calls that cost less than half a micro-USD.
  return Math.max(1, Math.round(pico / PICO_PER_MICRO));
};

/** Exact fallback for sums beyond 2^53 pico-USD (≈ 9,000 USD in one call): never hit in practice. */
const picoToMicroBig = (parts: ReadonlyArray<readonly [number, number]>, fee: number): number => {
  let sum = BigInt(fee);
  for (const [count, price] of parts) sum += BigInt(count) * BigInt(price);
  if (sum <= 0n) return 0;
  const micro = (sum + BigInt(PICO_PER_MICRO / 2)) / BigInt(PICO_PER_MICRO);
  return Math.max(1, Number(micro));
};

/**
 * Cost of one attempt in integer micro-USD.
 *
 * - `inputTokens` counts every prompt token; the cached reads and cache writes inside it are
 *   priced at their own rates, and only the rest (clamped at 0) at the input rate.
 * - `outputTokens` already include reasoning tokens, which are billed as output: they are not
 *   added a second time.
 * - The per-request fee is added once.
 */
export const computeCostMicroUsd = (usage: Usage, prices: ModelPrices): number => {
  const input = tokens(usage.inputTokens);
  const cached = tokens(usage.cachedInputTokens);
  const writes = tokens(usage.cacheWriteTokens);
  const uncached = Math.max(0, input - cached - writes);
  const parts = [
    [uncached, picoPerToken(prices.inputPerMtok)],
    [cached, picoPerToken(prices.cachedInputPerMtok)],
    [writes, picoPerToken(prices.cacheWritePerMtok)],
    [tokens(usage.outputTokens), picoPerToken(prices.outputPerMtok)],
  ] as const;
  const fee = picoPerRequest(prices.perRequest);
  let pico = fee;
  for (const [count, price] of parts) pico += count * price;
  return Number.isSafeInteger(pico) ? picoToMicro(pico) : picoToMicroBig(parts, fee);
};

/** `123` → `"0.000123"`: micro-USD as a USD decimal string, exact (no float formatting), for headers and tables. */
export const microUsdToUsdString = (microUsd: number): string => {
  const n = Number.isFinite(microUsd) ? Math.round(microUsd) : 0;
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  const whole = Math.floor(abs / 1_000_000);
  const frac = String(abs % 1_000_000).padStart(6, '0');
  return `${sign}${whole}.${frac}`;
};
