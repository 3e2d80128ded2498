import { afterEach, describe, expect, it, vi } from "vitest";
import { createAuth } from "./auth.js";
import type { Db } from "./db/database.js";
import type { Mailer } from "./email/mailer.js";

describe("Better Auth's log", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes what it logs, message and errors alike, as one escaped line of ours", () => {
    const printed = vi.spyOn(console, "warn").mockImplementation(() => {});
    // Logging reaches no database; the adapter only holds on to it.
    const mailer: Mailer = { deliver: async () => "queued" };
    const auth = createAuth({ db: {} as Db, secret: "s".repeat(40), publicUrl: "http://localhost:3000", mailer });
    auth.options.logger?.log?.("warn", "Invalid origin: x\r\n[claudemesh] forged", new Error("from\nthe request"));
    expect(printed).toHaveBeenCalledTimes(1);
    const line = String(printed.mock.calls[0]?.[0]);
    expect(line).toMatch(
      /^\[claudemesh\] auth: Invalid origin: x\\r\\n\[claudemesh\] forged Error: from\\nthe request/,
    );
    expect(line).not.toMatch(/[\r\n]/);
  });
});
