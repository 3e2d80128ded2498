import type { ClaudemeshError } from "../errors.js";

/** How a dropped mesh connection comes back. */
export interface ReconnectOptions {
  /** The first wait, in milliseconds (default 500). */
  initialDelayMs?: number;
  /** The longest wait between attempts, in milliseconds (default 30 000). */
  maxDelayMs?: number;
  /** Where the jitter comes from (tests pass a fixed one); default Math.random. */
  random?: () => number;
}

/** After `rate_limited` (4029) the broker wants fewer attempts: start from this wait at least. */
const RATE_LIMITED_DELAY_MS = 5_000;

/**
 * The wait before reconnect attempt `attempt` (1, 2, …): doubling from the
 * initial delay up to the maximum, each a random point in its upper half, so a
 * broker restart is not met by every peer in the same millisecond.
 */
export function nextReconnectDelay(attempt: number, options: ReconnectOptions, error: ClaudemeshError): number {
  const initial = Math.max(options.initialDelayMs ?? 500, error.code === "rate_limited" ? RATE_LIMITED_DELAY_MS : 0);
  const max = Math.max(options.maxDelayMs ?? 30_000, initial);
  const ceiling = Math.min(max, initial * 2 ** Math.min(attempt - 1, 30));
  const random = options.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
