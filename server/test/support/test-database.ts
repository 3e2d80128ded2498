import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrate.js";

/** Every integration suite runs once per database kind. */
export const DATABASE_KINDS = ["pglite", "postgres"] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

export interface TestDatabase extends Database {
  /** Connection string, for Postgres only (for spawning servers against it). */
  url?: string;
}

/** A fresh, empty database of the given kind: in-memory PGlite, or a new database in the run's Postgres cluster. */
export async function createEmptyDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === "pglite") return openDatabase({ kind: "pglite", dataDir: "memory://" });
  const url = await createPostgresDatabase();
  const database = await openDatabase({ kind: "postgres", url });
  return {
    ...database,
    url,
    async close() {
      await database.close();
      await dropPostgresDatabase(url);
    },
  };
}

/** A fresh database with every migration applied. */
export async function createMigratedDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const database = await createEmptyDatabase(kind);
  await migrate(database);
  return database;
}

/** Creates an empty database in the run's cluster and returns its URL. */
export async function createPostgresDatabase(): Promise<string> {
  const adminUrl = inject("postgresUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropPostgresDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = postgres(inject("postgresUrl"), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}
