import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createMigratedDatabase, type TestDatabase } from "../../test/support/test-database.js";
import { createMailer } from "./mailer.js";

describe("the mailer's log line", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createMigratedDatabase("pglite");
  });
  afterAll(() => database.close());
  afterEach(() => vi.restoreAllMocks());

  it("keeps a subject and recipient domain with line breaks on one escaped line", async () => {
    const printed = vi.spyOn(console, "log").mockImplementation(() => {});
    const mailer = createMailer({ db: database.db, transport: null, from: "x <x@test>" });
    const status = await mailer.deliver({
      to: "bob@example.test\r\n[claudemesh] forged domain",
      subject: "Ada invited you\n[claudemesh] forged subject",
      text: "secret link",
    });
    expect(status).toBe("queued");
    expect(printed).toHaveBeenCalledTimes(1);
    const line = String(printed.mock.calls[0]?.[0]);
    expect(line).toMatch(/^\[claudemesh\] would send "Ada invited you\\n\[claudemesh\] forged subject" to …@/);
    expect(line).toContain("example.test\\r\\n[claudemesh] forged domain");
    expect(line).not.toMatch(/[\r\n]/);
    expect(line).not.toContain("secret link");
  });
});
