import type { Database } from "../db/database.js";

/** The NOTIFY channel a decision is announced on; the payload is the device code's id. */
export const DEVICE_CODE_CHANNEL = "claudemesh_device_code";

/**
 * Long-polls wait here for a decision on their device code. One LISTEN per
 * instance fans notifications out to the waiters of that code; on Postgres the
 * notification comes from whichever instance committed the decision.
 */
export class DeviceCodeWakeups {
  readonly #database: Database;
  readonly #waiters = new Map<string, Set<() => void>>();
  #listening: Promise<() => Promise<void>> | undefined;

  constructor(database: Database) {
    this.#database = database;
  }

  /**
   * Registers interest in `id` and resolves once the LISTEN is in place, so a
   * decision committed after this returns cannot be missed. `wait()` on the
   * handle resolves on the decision, after `ms`, or when `signal` aborts.
   */
  async subscribe(id: string): Promise<{ wait(ms: number, signal?: AbortSignal): Promise<void>; done(): void }> {
    let wake: () => void = () => {};
    let woken = false;
    const waiter = () => {
      woken = true;
      wake();
    };
    const set = this.#waiters.get(id) ?? new Set();
    set.add(waiter);
    this.#waiters.set(id, set);
    const done = () => {
      set.delete(waiter);
      if (set.size === 0) this.#waiters.delete(id);
    };
    try {
      await this.#ensureListening();
    } catch (error) {
      done();
      throw error;
    }
    return {
      done,
      wait: (ms, signal) =>
        new Promise<void>((resolve) => {
          if (woken || signal?.aborted) return resolve();
          const finish = () => {
            clearTimeout(timer);
            signal?.removeEventListener("abort", finish);
            resolve();
          };
          const timer = setTimeout(finish, ms);
          wake = finish;
          signal?.addEventListener("abort", finish, { once: true });
        }),
    };
  }

  /** Stops listening (on shutdown). */
  async close(): Promise<void> {
    const listening = this.#listening;
    this.#listening = undefined;
    if (listening) await (await listening)().catch(() => {});
  }

  #ensureListening(): Promise<() => Promise<void>> {
    this.#listening ??= this.#database.listen(
      DEVICE_CODE_CHANNEL,
      (id) => {
        for (const waiter of this.#waiters.get(id) ?? []) waiter();
      },
      // Decisions made while the LISTEN was down went unheard: every held poll looks again.
      () => {
        for (const waiters of this.#waiters.values()) for (const waiter of waiters) waiter();
      },
    );
    // A failed LISTEN is retried by the next waiter instead of being cached.
    this.#listening.catch(() => {
      this.#listening = undefined;
    });
    return this.#listening;
  }
}
