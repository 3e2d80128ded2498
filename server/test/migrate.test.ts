import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase, rowsOf } from "../src/db/database.js";
import { migrate } from "../src/db/migrate.js";
import { MIGRATIONS_FOLDER } from "../src/paths.js";
import { createEmptyDatabase, createPostgresDatabase, DATABASE_KINDS } from "./support/test-database.js";

const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as {
  entries: unknown[];
};
const MIGRATION_COUNT = journal.entries.length;

describe.each(DATABASE_KINDS)("migrations on %s", (kind) => {
  it("apply every committed migration once, then find nothing to do", async () => {
    const database = await createEmptyDatabase(kind);
    try {
      expect(await migrate(database)).toEqual({ applied: MIGRATION_COUNT, total: MIGRATION_COUNT });
      expect(await migrate(database)).toEqual({ applied: 0, total: MIGRATION_COUNT });
      const tables = rowsOf<{ name: string }>(
        await database.db.execute(
          sql`select table_name as name from information_schema.tables where table_schema = 'public'`,
        ),
      ).map((row) => row.name);
      expect(tables).toEqual(expect.arrayContaining(["user", "session", "account", "verification"]));
    } finally {
      await database.close();
    }
  });

  it("a failing migration throws and leaves nothing half-applied", async () => {
    const database = await createEmptyDatabase(kind);
    try {
      // A table in the way makes the first CREATE TABLE fail.
      await database.db.execute(sql`create table "verification" (id integer)`);
      await expect(migrate(database)).rejects.toThrow(/already exists/);
      const tables = rowsOf<{ name: string }>(
        await database.db.execute(
          sql`select table_name as name from information_schema.tables where table_schema = 'public'`,
        ),
      ).map((row) => row.name);
      expect(tables).toEqual(["verification"]);
    } finally {
      await database.close();
    }
  });
});

describe("migrations on postgres from many instances at once", () => {
  it("run once under the advisory lock while the others wait", async () => {
    const url = await createPostgresDatabase();
    const instances = await Promise.all(Array.from({ length: 4 }, () => openDatabase({ kind: "postgres", url })));
    try {
      const results = await Promise.all(instances.map((instance) => migrate(instance)));
      const applied = results.map((result) => result.applied).sort();
      expect(applied).toEqual([0, 0, 0, MIGRATION_COUNT]);
      for (const result of results) expect(result.total).toBe(MIGRATION_COUNT);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
    }
  });
});
