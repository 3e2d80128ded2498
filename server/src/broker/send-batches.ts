import type { Db } from "../db/database.js";
import { hasErrorCode } from "../db/unavailable.js";
import { type SendInput, type SendResult, type StoredMessage, storeMessages } from "./delivery.js";
import type { BrokerMetrics } from "./metrics.js";

interface WaitingSend {
  input: SendInput;
  resolve(result: SendResult): void;
  reject(error: unknown): void;
}

/** Sends stored in one statement: enough to share a round trip, few enough to keep one statement small. */
const BATCH_LIMITS = { sends: 500, bodyBytes: 4 * 1024 * 1024 } as const;

/** How many of the first `waiting` go into the next batch (at least one, however large). */
function nextBatchSize(waiting: readonly WaitingSend[]): number {
  let bytes = 0;
  let count = 0;
  for (const send of waiting) {
    bytes += send.input.body.length;
    if (count === BATCH_LIMITS.sends || (count > 0 && bytes > BATCH_LIMITS.bodyBytes)) break;
    count += 1;
  }
  return Math.max(count, 1);
}

/**
 * Whether Postgres refused the statement for what was in it (SQLSTATE class 22,
 * data exception, or 23, integrity): one send's fault, worth storing the others
 * without it. A lost connection is everyone's: trying each send alone would only
 * wait out the same failure once per send.
 */
function isDataError(error: unknown): boolean {
  return hasErrorCode(error, (code) => /^2[23][0-9A-Z]{3}$/.test(code));
}

/**
 * The sends of every socket on this instance, stored in batches, one batch at a
 * time (group commit): a send that comes while a batch is being stored waits for
 * the next, so under load many share one round trip, and when idle a send goes
 * at once. One at a time also keeps each sender's order: sends are stored, and
 * their results and hand-offs happen, in the order they came.
 */
export class SendBatches {
  readonly #db: Db;
  readonly #metrics: BrokerMetrics;
  readonly #origin: string;
  readonly #onStored: (stored: StoredMessage[]) => void;
  #waiting: WaitingSend[] = [];
  #storing = false;

  constructor(deps: { db: Db; metrics: BrokerMetrics; origin: string; onStored: (stored: StoredMessage[]) => void }) {
    this.#db = deps.db;
    this.#metrics = deps.metrics;
    this.#origin = deps.origin;
    this.#onStored = deps.onStored;
  }

  /** Stores one send with the next batch; resolves with its result once that batch has committed. */
  store(input: SendInput): Promise<SendResult> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ input, resolve, reject });
      if (!this.#storing) void this.#storeWaiting();
    });
  }

  /** Stores `batch` in one go, hands what was stored to the sockets, and answers each send. */
  async #storeBatch(batch: readonly WaitingSend[]): Promise<void> {
    const inputs = batch.map((send) => send.input);
    const { results, stored } = await storeMessages(this.#db, this.#metrics, inputs, this.#origin);
    this.#onStored(stored);
    for (const [index, send] of batch.entries()) send.resolve(results[index] as SendResult);
  }

  async #storeWaiting(): Promise<void> {
    this.#storing = true;
    try {
      while (this.#waiting.length > 0) {
        const count = nextBatchSize(this.#waiting);
        const batch = this.#waiting.splice(0, count);
        try {
          await this.#storeBatch(batch);
        } catch (error) {
          if (batch.length === 1 || !isDataError(error)) {
            for (const send of batch) send.reject(error);
            continue;
          }
          // One send's own failure (text the database refuses, say) fails its whole batch: the
          // others are stored again one at a time, so only that one fails, as it would alone.
          for (const send of batch) await this.#storeBatch([send]).catch((alone: unknown) => send.reject(alone));
        }
      }
    } finally {
      this.#storing = false;
    }
  }
}
