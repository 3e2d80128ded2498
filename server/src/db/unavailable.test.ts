import { freePort } from "@claudemesh/test-support/free-port";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { describe, expect, inject, it } from "vitest";
import { isDatabaseUnavailable } from "./unavailable.js";

async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected the work to fail");
}

describe("isDatabaseUnavailable", () => {
  it("recognises a refused connection through drizzle's wrapping", async () => {
    const client = postgres(`postgres://postgres@127.0.0.1:${await freePort()}/postgres`, { max: 1 });
    const error = await failureOf(() => drizzle(client).execute(sql`select 1`));
    await client.end();
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseUnavailable(new Error("wrapped", { cause: error }))).toBe(true);
  });

  it("recognises shutdown and connection SQLSTATEs", () => {
    for (const code of ["57P01", "57P03", "08006", "53300"]) {
      expect(isDatabaseUnavailable(Object.assign(new Error("x"), { code }))).toBe(true);
    }
  });

  it("does not take a bad query for an unavailable database", async () => {
    const client = postgres(inject("postgresUrl"), { max: 1, onnotice: () => {} });
    const error = await failureOf(() => drizzle(client).execute(sql`select * from no_such_table`));
    await client.end();
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(isDatabaseUnavailable(new Error("plain"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
