import { setTimeout as delay } from "node:timers/promises";
import { ClaudemeshError } from "../errors.js";

/** Waits `ms`, or rejects with `cancelled` as soon as `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = async (ms, signal) => {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    // Node rejects with its own AbortError; callers tell a cancel apart by our code.
    if (signal?.aborted) throw new ClaudemeshError("cancelled", "Cancelled.", { cause: error });
    throw error;
  }
};
