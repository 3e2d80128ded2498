import { sql } from "drizzle-orm";
import type { MigrationConfig } from "drizzle-orm/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { MIGRATIONS_FOLDER } from "../paths.js";
import { type Database, type Db, rowsOf } from "./database.js";

// Any constant works; every instance must use the same one ("cmesh-mg" in ASCII).
const MIGRATION_LOCK_KEY = 0x636d6573686d67n;

export interface MigrationResult {
  /** Migrations this call applied (0 when another instance got there first). */
  applied: number;
  /** Migrations recorded in the database afterwards. */
  total: number;
}

/**
 * Applies the committed migrations under a Postgres advisory lock, so instances
 * starting together take turns: the first migrates, the rest find nothing to do.
 * A failing migration rolls back (drizzle runs them in one transaction) and throws.
 */
export async function migrate(
  database: Database,
  migrationsFolder: string = MIGRATIONS_FOLDER,
): Promise<MigrationResult> {
  const config: MigrationConfig = { migrationsFolder };
  return database.withSingleConnection(async (db) => {
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      const before = await countApplied(db);
      try {
        if (database.kind === "postgres") {
          await migratePostgres(db as unknown as PostgresJsDatabase, config);
        } else {
          await migratePglite(db as unknown as PgliteDatabase, config);
        }
      } catch (error) {
        throw explainMigrationFailure(error);
      }
      const total = await countApplied(db);
      return { applied: total - before, total };
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  });
}

async function countApplied(db: Db): Promise<number> {
  // Two statements: Postgres resolves table names before it evaluates a CASE.
  const exists = rowsOf<{ table: string | null }>(
    await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations')::text as table`),
  );
  if (!exists[0]?.table) return 0;
  const counted = rowsOf<{ count: number | string }>(
    await db.execute(sql`select count(*) as count from drizzle.__drizzle_migrations`),
  );
  return Number(counted[0]?.count ?? 0);
}

/** drizzle reports "Failed query: <whole SQL>"; the database's own reason is in `cause`. */
function explainMigrationFailure(error: unknown): Error {
  const failed = error as { cause?: { message?: string }; query?: string; message?: string };
  const reason = failed.cause?.message ?? failed.message ?? String(error);
  const statement = failed.query?.trim().split("\n")[0];
  return new Error(statement ? `${reason} (in: ${statement})` : reason, { cause: error });
}
