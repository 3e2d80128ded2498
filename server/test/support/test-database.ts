import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyPgliteTemplate } from "@claudemesh/test-support/pglite-template";
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

/**
 * A fresh, empty database of the given kind: PGlite (a copy of the run's initialised
 * cluster, or in memory when there is none), or a new database in the run's Postgres cluster.
 */
export async function createEmptyDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === "pglite") return openPgliteCopy();
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

async function openPgliteCopy(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), "claudemesh-pglite-"));
  if (!(await copyPgliteTemplate(dataDir))) {
    await rm(dataDir, { recursive: true, force: true });
    return openDatabase({ kind: "pglite", dataDir: "memory://" });
  }
  const database = await openDatabase({ kind: "pglite", dataDir });
  return {
    ...database,
    async close() {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
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
