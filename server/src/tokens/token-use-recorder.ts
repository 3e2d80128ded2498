import { sql } from "drizzle-orm";
import type { Db } from "../db/database.js";
import { cliToken } from "../db/schema.js";
import { innermostMessage } from "../db/unavailable.js";
import { log } from "../log.js";
import { expiryAfterUse, LAST_USED_RESOLUTION_MS, SESSION_LIFETIME_MS, type TokenRow } from "./token-store.js";

/** Records requests' token uses (the rule of recordTokenUse) without holding the requests up. */
export interface TokenUseRecorder {
  /** Queues the use at `now`; answers at once with the expiry now in force. */
  record(row: Pick<TokenRow, "id" | "kind" | "expiresAt">, now: Date): Date | null;
  /** Resolves once every use queued before the call is written, or its write has failed. */
  settled(): Promise<void>;
}

/**
 * recordTokenUse for the request path. With many tokens in use, most requests
 * are a token's first in a minute, and waiting for that write (a second round
 * trip and a commit) made them 40 % slower than the rest (issue 27). So the
 * answer does not wait: uses are written in batches, one batch at a time, each
 * carrying every use queued while the one before was written, under the same
 * conditions per row. The request's own check already happened on the read; if
 * a write fails, the row keeps its older use and the token's next use writes it.
 */
export function prepareTokenUseRecorder(db: Db, onFailure: (error: unknown, uses: number) => void): TokenUseRecorder {
  /** Uses waiting for the next batch, by token: the first use is the one recorded. */
  let waiting = new Map<string, Date>();
  /** The batch that will carry `waiting`, once one is queued. */
  let queued: Promise<void> | undefined;
  /** The newest batch queued or in flight; each starts after the one before it. */
  let newest: Promise<void> = Promise.resolve();
  const writeWaiting = async () => {
    const uses = waiting;
    waiting = new Map();
    queued = undefined;
    try {
      await writeTokenUses(db, uses);
    } catch (error) {
      onFailure(error, uses.size);
    }
  };
  return {
    record(row, now) {
      if (!waiting.has(row.id)) waiting.set(row.id, now);
      // Not before the next turn, so the uses of this tick share the batch.
      queued ??= newest = Promise.all([newest, new Promise((resolve) => setImmediate(resolve))]).then(writeWaiting);
      return expiryAfterUse(row, now);
    },
    settled: () => queued ?? newest,
  };
}

/** What a failed batch of token uses leaves in the log: the server goes on, and those tokens' next uses write them. */
export function logTokenUseFailure(error: unknown, uses: number): void {
  log.warn(`could not record the use of ${uses} token(s) (${innermostMessage(error)}); their next use records it`);
}

/** One UPDATE for many tokens' uses (`unnest(ids, times)`), each row under recordTokenUse's conditions. */
async function writeTokenUses(db: Db, uses: Map<string, Date>): Promise<void> {
  const ids = [...uses.keys()];
  // Times travel as ISO text, which Postgres and PGlite both read as timestamptz; a
  // session's new expiry is computed as expiryAfterUse computes it, from the row's own kind.
  const times = [...uses.values()].map((at) => at.toISOString());
  // Rows another statement is writing (another instance, the broker) are skipped, not
  // waited for: that one records the use, and two statements locking the same rows in
  // different orders would deadlock.
  await db.execute(sql`
    with due as (
      select ${cliToken.id} as id, used.at
      from ${cliToken}
      join (select id, at::timestamptz as at from unnest(${sql.param(ids)}::text[], ${sql.param(times)}::text[]) as u(id, at)) as used
        on used.id = ${cliToken.id}
      where ${cliToken.revokedAt} is null
        and (${cliToken.lastUsedAt} is null
          or ${cliToken.lastUsedAt} <= used.at - make_interval(secs => ${sql.raw(String(LAST_USED_RESOLUTION_MS / 1000))}))
      for update of ${cliToken} skip locked
    )
    update ${cliToken} set
      last_used_at = due.at,
      expires_at = case when ${cliToken.kind} = 'session'
        then due.at + make_interval(secs => ${sql.raw(String(SESSION_LIFETIME_MS / 1000))}) else ${cliToken.expiresAt} end
    from due
    where ${cliToken.id} = due.id`);
}
