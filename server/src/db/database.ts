import { existsSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema.js";

/** The drizzle handle every route uses, whichever database is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseConfig =
  /** A real Postgres server. */
  | { kind: "postgres"; url: string }
  /** Embedded PGlite: a data directory, or `memory://` for a throwaway database. */
  | { kind: "pglite"; dataDir: string };

export interface Database {
  readonly kind: DatabaseConfig["kind"];
  readonly db: Db;
  /** Runs `work` on a drizzle handle bound to one connection, so session-level locks hold. */
  withSingleConnection<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /**
   * Calls `onPayload` for every `pg_notify(channel, payload)` committed by any
   * connection (any instance, on Postgres). Resolves once listening, with a stop function.
   * On Postgres, `onResume` is called when listening again after the database was
   * lost: notifications sent in between were missed.
   */
  listen(channel: string, onPayload: (payload: string) => void, onResume?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * Opens the database the config names; nothing is migrated here (see `migrate.ts`).
 *
 * @example
 * const database = await openDatabase({ kind: "pglite", dataDir: "memory://" });
 */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === "postgres") return openPostgres(config.url);
  return openPglite(config.dataDir);
}

/**
 * Seconds a pool connection waits before reconnecting after a failure. The
 * driver's default grows to 20 s, and a request queued behind such a
 * connection waits as long, so an outage looked like a hang and recovery came
 * up to 20 s late (LISTEN too, so long-polls missed approvals); capped at 1 s,
 * a request answers 503 within a second and the pool and the LISTEN are back
 * within a second of the database (at most `max` attempts a second).
 */
function reconnectBackoff(failures: number): number {
  return (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** failures, 1);
}

function openPostgres(url: string): Database {
  const client = postgres(url, { max: 10, onnotice: () => {}, backoff: reconnectBackoff });
  const db: Db = drizzlePostgres(client, { schema });
  return {
    kind: "postgres",
    db,
    async withSingleConnection(work) {
      // A pool may hand each statement to another connection; advisory locks need one session.
      const single = postgres(url, { max: 1, onnotice: () => {} });
      try {
        return await work(drizzlePostgres(single, { schema }));
      } finally {
        await single.end();
      }
    },
    async listen(channel, onPayload, onResume) {
      // postgres-js keeps one extra connection for all LISTENs and LISTENs again after
      // a reconnect, calling `onlisten` each time; every time after the first is a resume.
      let listened = false;
      const { unlisten } = await client.listen(channel, onPayload, () => {
        if (listened) onResume?.();
        listened = true;
      });
      return unlisten;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

// Postgres's default 128 MB of shared buffers is sized for a server of its own;
// embedded in ours, 16 MB keeps the idle process near 160 MB instead of 300.
const PGLITE_SETTINGS = ["shared_buffers=16MB"];

/** True when `dataDir` holds no PGlite cluster yet, so opening it would run initdb. */
export function needsInitdb(dataDir: string): boolean {
  return !dataDir.startsWith("memory://") && !existsSync(join(dataDir, "PG_VERSION"));
}

/** Creates the PGlite cluster in `dataDir` (initdb) and closes it again. */
export async function initializePglite(dataDir: string): Promise<void> {
  const client = new PGlite(dataDir, { postgresqlconf: PGLITE_SETTINGS });
  await client.waitReady;
  await client.close();
}

async function openPglite(dataDir: string): Promise<Database> {
  const client = new PGlite(dataDir, { postgresqlconf: PGLITE_SETTINGS });
  await client.waitReady;
  const db: Db = drizzlePglite({ client, schema });
  return {
    kind: "pglite",
    db,
    // PGlite is a single connection already.
    withSingleConnection: (work) => work(db),
    async listen(channel, onPayload) {
      const unlisten = await client.listen(channel, onPayload);
      return () => unlisten();
    },
    close: () => client.close(),
  };
}

/**
 * The rows of a raw `db.execute()` result: postgres-js returns an array,
 * PGlite an object with `rows`.
 */
export function rowsOf<Row>(result: unknown): Row[] {
  if (Array.isArray(result)) return result as Row[];
  return ((result as { rows?: Row[] }).rows ?? []) as Row[];
}
