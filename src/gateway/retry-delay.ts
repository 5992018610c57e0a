import type { ProviderError } from '../errors/index.js';

export interface RetryOptions {
  maxAttemptsPerTarget: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  maxRetryAfterMs: number;
}

/**
 * How long to wait before asking the same target again, or null to move on to the next target.
 * Retry-After is honoured when it is short; a long one means the target is out for a while and
 * waiting would only burn the client's deadline, so the next target is tried instead. Without
 * Retry-After: exponential backoff with "equal jitter" (half fixed, half random) so that replicas
 * hit by the same blip do not retry in lockstep.
 */
export const retryDelay = (
  error: ProviderError,
  attemptOnTarget: number,
  options: RetryOptions,
  random: () => number,
): number | null => {
  if (!error.retryable || attemptOnTarget >= options.maxAttemptsPerTarget) return null;
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= options.maxRetryAfterMs ? Math.max(0, error.retryAfterMs) : null;
  }
  const exp = Math.min(options.backoffMaxMs, options.backoffBaseMs * 2 ** (attemptOnTarget - 1));
  return exp / 2 + (random() * exp) / 2;
};
