import { ClaudemeshError } from "../errors.js";

/** Waits `ms`, or rejects with `cancelled` as soon as `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ClaudemeshError("cancelled", "Cancelled."));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ClaudemeshError("cancelled", "Cancelled."));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
