import { CreatedToken, RevokedResponse, SessionList, TokenList, Whoami } from "@claudemesh/sdk/contracts";
import { mintToken } from "@claudemesh/sdk/token";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, cliToken } from "../src/db/schema.js";
import { LAST_USED_RESOLUTION_MS, SESSION_LIFETIME_MS } from "../src/tokens/token-store.js";
import { DEVICE, deviceLogin } from "./support/device-login.js";
import { createTestApp, signUp, type TestAccount, type TestApp } from "./support/test-app.js";
import { DATABASE_KINDS } from "./support/test-database.js";

const DAY_MS = 24 * 60 * 60 * 1000;

describe.each(DATABASE_KINDS)("the /api/my API on %s", (kind) => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp(kind);
  });
  afterAll(() => testApp.close());

  /** PATs are made from a browser session only. */
  async function createPat(account: TestAccount, body: Record<string, unknown> = { name: "ci-deploy" }) {
    const response = await testApp.postJson("/api/my/cli/tokens", body, { cookie: account.cookie });
    expect(response.status).toBe(201);
    return CreatedToken.parse(await response.json());
  }
  async function whoami(options: { token?: string; cookie?: string }) {
    const response = await testApp.get("/api/my/whoami", options);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  describe("authentication", () => {
    it("whoami names the user and the credential: session token, PAT or browser session", async () => {
      const account = await signUp(testApp, { name: "Grace Hopper" });
      const session = await deviceLogin(testApp, account);
      const pat = await createPat(account);
      const user = { id: account.id, name: "Grace Hopper", email: account.email };

      const bySession = Whoami.parse((await whoami({ token: session })).body);
      expect(bySession).toMatchObject({ user, credential: { kind: "session", name: DEVICE.device_name } });
      const byPat = Whoami.parse((await whoami({ token: pat.token })).body);
      expect(byPat).toMatchObject({ user, credential: { kind: "pat", name: "ci-deploy", id: pat.id } });
      expect(byPat.credential.expires_at).toBe(pat.expires_at);
      const byCookie = Whoami.parse((await whoami({ cookie: account.cookie })).body);
      expect(byCookie).toMatchObject({ user, credential: { kind: "web", id: null } });
    });

    it.each([
      ["no credentials", {}, "auth_required"],
      ["a malformed header", { headers: { authorization: "Token abc" } }, "token_invalid"],
      ["a malformed token", { token: "cm_pat_nope" }, "token_invalid"],
      ["a well-formed unknown token", { token: mintToken("pat") }, "token_invalid"],
    ])("%s is 401 %s", async (_label, options, error) => {
      const response = await testApp.get("/api/my/whoami", options);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error, message: expect.any(String) });
    });

    it("a token whose checksum is wrong is 401 token_invalid, and the message says so", async () => {
      const token = mintToken("pat");
      const mistyped = `${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}`;
      expect(await whoami({ token: mistyped })).toMatchObject({
        status: 401,
        body: { error: "token_invalid", message: expect.stringContaining("checksum") },
      });
    });

    it("a revoked token is refused on the very next request", async () => {
      const account = await signUp(testApp);
      const session = await deviceLogin(testApp, account);
      const pat = await createPat(account);
      expect((await whoami({ token: pat.token })).status).toBe(200);
      expect((await testApp.del(`/api/my/cli/tokens/${pat.id}`, { token: session })).status).toBe(200);
      expect(await whoami({ token: pat.token })).toMatchObject({ status: 401, body: { error: "token_revoked" } });
    });

    it("concurrent requests with different tokens each get their own answer; a revoked one among them is refused", async () => {
      const accounts = await Promise.all(Array.from({ length: 6 }, () => signUp(testApp)));
      const sessions = await Promise.all(accounts.map((account) => deviceLogin(testApp, account)));
      const revokedIndex = 3;
      await testApp.del("/api/my/cli/sessions/current", { token: sessions[revokedIndex] ?? "" });

      // Several requests per token, interleaved, so lookups share batches.
      const calls = sessions.flatMap((token, index) => Array.from({ length: 5 }, () => ({ token, index })));
      const answers = await Promise.all(
        calls.map(async ({ token, index }) => ({ index, ...(await whoami({ token })) })),
      );
      for (const answer of answers) {
        if (answer.index === revokedIndex) {
          expect(answer).toMatchObject({ status: 401, body: { error: "token_revoked" } });
        } else {
          expect(answer).toMatchObject({ status: 200, body: { user: { id: accounts[answer.index]?.id } } });
        }
      }
    });

    it("an expired PAT is refused with token_expired", async () => {
      const account = await signUp(testApp);
      const pat = await createPat(account, { name: "short", expires_in_days: 30 });
      testApp.clock.advance(30 * DAY_MS);
      expect(await whoami({ token: pat.token })).toMatchObject({ status: 401, body: { error: "token_expired" } });
    });

    it("writes last_used_at at most once a minute, and slides a session's expiry on use", async () => {
      const account = await signUp(testApp);
      const session = await deviceLogin(testApp, account);
      const stored = async () => {
        await testApp.tokenUses.settled();
        const [row] = await testApp.database.db.select().from(cliToken).where(eq(cliToken.userId, account.id));
        return row;
      };
      const firstUse = testApp.clock.now();
      await whoami({ token: session });
      testApp.clock.advance(LAST_USED_RESOLUTION_MS - 1000);
      await whoami({ token: session });
      await whoami({ token: session });
      expect((await stored())?.lastUsedAt?.getTime()).toBe(firstUse.getTime());

      testApp.clock.advance(30 * DAY_MS);
      const body = Whoami.parse((await whoami({ token: session })).body);
      const now = testApp.clock.now().getTime();
      expect((await stored())?.lastUsedAt?.getTime()).toBe(now);
      expect(Date.parse(body.credential.expires_at ?? "")).toBe(now + SESSION_LIFETIME_MS);
      expect((await stored())?.expiresAt?.getTime()).toBe(now + SESSION_LIFETIME_MS);

      // Unused for longer than its lifetime, a session expires.
      testApp.clock.advance(SESSION_LIFETIME_MS);
      expect(await whoami({ token: session })).toMatchObject({ status: 401, body: { error: "token_expired" } });
    });

    it("first uses of many tokens at once are each recorded: sessions slide, PATs keep their expiry, a revoked token is not written", async () => {
      const accounts = await Promise.all(Array.from({ length: 4 }, () => signUp(testApp)));
      const sessions = await Promise.all(accounts.map((account) => deviceLogin(testApp, account)));
      const pats = await Promise.all(
        accounts.map((account, i) => createPat(account, { name: `ci-${i}`, expires_in_days: i % 2 ? 30 : null })),
      );
      const revoked = pats[0] as (typeof pats)[number];
      await testApp.del(`/api/my/cli/tokens/${revoked.id}`, { token: sessions[0] ?? "" });
      const rows = async () => {
        await testApp.tokenUses.settled();
        return new Map((await testApp.database.db.select().from(cliToken)).map((row) => [row.id, row] as const));
      };
      const before = await rows();
      testApp.clock.advance(LAST_USED_RESOLUTION_MS);
      const now = testApp.clock.now().getTime();

      // All at once, twice each, so the first uses share batches and a token appears twice in one.
      const live = [...sessions, ...pats.slice(1).map((pat) => pat.token)];
      const answers = await Promise.all([...live, ...live, revoked.token].map((token) => whoami({ token })));
      expect(answers.slice(0, -1).every((answer) => answer.status === 200)).toBe(true);
      expect(answers.at(-1)).toMatchObject({ status: 401, body: { error: "token_revoked" } });

      const after = await rows();
      for (const pat of pats.slice(1)) {
        expect(after.get(pat.id)?.lastUsedAt?.getTime()).toBe(now);
        expect(after.get(pat.id)?.expiresAt?.getTime()).toBe(before.get(pat.id)?.expiresAt?.getTime());
      }
      const ours = new Set(accounts.map((account) => account.id));
      const sessionRows = [...after.values()].filter(
        (row) => ours.has(row.userId) && row.kind === "session" && row.revokedAt === null,
      );
      expect(sessionRows).toHaveLength(sessions.length);
      for (const row of sessionRows) {
        expect(row.lastUsedAt?.getTime()).toBe(now);
        expect(row.expiresAt?.getTime()).toBe(now + SESSION_LIFETIME_MS);
      }
      expect(after.get(revoked.id)?.lastUsedAt).toEqual(before.get(revoked.id)?.lastUsedAt);
    });

    /** Runs `during` while a second connection holds the lock `lock` takes. */
    async function whileLocked(lock: (tx: postgres.TransactionSql) => Promise<unknown>, during: () => Promise<void>) {
      const other = postgres(testApp.database.url ?? "", { max: 1, onnotice: () => {} });
      try {
        await other.begin(async (tx) => {
          await lock(tx);
          await during();
        });
      } finally {
        await other.end();
      }
    }
    /** When the token's use was last recorded, once every queued use is written. */
    async function recordedUse(id: string): Promise<number | undefined> {
      await testApp.tokenUses.settled();
      const [row] = await testApp.database.db.select().from(cliToken).where(eq(cliToken.id, id));
      return row?.lastUsedAt?.getTime();
    }

    it.runIf(kind === "postgres")(
      "a token whose row another transaction holds is still answered at once, and its use is left to that one",
      async () => {
        const pat = await createPat(await signUp(testApp));
        testApp.clock.advance(LAST_USED_RESOLUTION_MS);
        await whileLocked(
          (tx) => tx`select id from cli_token where id = ${pat.id} for update`,
          async () => {
            // Answered while the lock is held: a write that waited for it would never return here.
            expect((await whoami({ token: pat.token })).status).toBe(200);
            await testApp.tokenUses.settled();
          },
        );
        expect(await recordedUse(pat.id)).toBeUndefined();
        // The next request records it.
        expect((await whoami({ token: pat.token })).status).toBe(200);
        expect(await recordedUse(pat.id)).toBe(testApp.clock.now().getTime());
      },
    );

    it.runIf(kind === "postgres")(
      "a token's first use is answered without waiting for its write, which lands once the table is free",
      async () => {
        const pat = await createPat(await signUp(testApp));
        testApp.clock.advance(LAST_USED_RESOLUTION_MS);
        // Reads go on under this lock; every UPDATE of cli_token waits for it.
        await whileLocked(
          (tx) => tx`lock table cli_token in exclusive mode`,
          async () => {
            expect((await whoami({ token: pat.token })).status).toBe(200);
          },
        );
        expect(await recordedUse(pat.id)).toBe(testApp.clock.now().getTime());
      },
    );

    it("the session and token lists show the calling request's own use", async () => {
      const account = await signUp(testApp);
      const session = await deviceLogin(testApp, account);
      const pat = await createPat(account);
      testApp.clock.advance(LAST_USED_RESOLUTION_MS);
      const now = testApp.clock.now().toISOString();
      const sessions = SessionList.parse(await (await testApp.get("/api/my/cli/sessions", { token: session })).json());
      expect(sessions.sessions.find((listed) => listed.current)?.last_used_at).toBe(now);
      const tokens = TokenList.parse(await (await testApp.get("/api/my/cli/tokens", { token: pat.token })).json());
      expect(tokens.tokens.find((listed) => listed.id === pat.id)?.last_used_at).toBe(now);
    });

    it("browser-session writes must come from our own origin; bearer callers need no Origin", async () => {
      const account = await signUp(testApp);
      const crossSite = await testApp.app.request("/api/my/cli/tokens", {
        method: "POST",
        headers: { "content-type": "application/json", cookie: account.cookie, origin: "https://evil.example" },
        body: JSON.stringify({ name: "stolen" }),
      });
      expect(crossSite.status).toBe(403);
      expect(await crossSite.json()).toMatchObject({ error: "forbidden" });

      const session = await deviceLogin(testApp, account);
      const byToken = await testApp.app.request(`/api/my/cli/sessions/${"current"}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${session}` },
      });
      expect(byToken.status).toBe(200);
    });
  });

  describe("CLI sessions", () => {
    it("lists the user's devices with the calling one marked current", async () => {
      const account = await signUp(testApp);
      const laptop = await deviceLogin(testApp, account, {
        device_name: "laptop",
        device_os: "darwin",
        device_arch: "arm64",
      });
      await deviceLogin(testApp, account, { device_name: "server", device_os: "linux", device_arch: "x64" });
      const response = await testApp.get("/api/my/cli/sessions", { token: laptop });
      const { sessions } = SessionList.parse(await response.json());
      expect(sessions.map((session) => [session.device_name, session.current]).sort()).toEqual([
        ["laptop", true],
        ["server", false],
      ]);
    });

    it("DELETE current revokes the calling session (logout) and is audited", async () => {
      const account = await signUp(testApp);
      const session = await deviceLogin(testApp, account);
      const response = await testApp.del("/api/my/cli/sessions/current", { token: session });
      expect(response.status).toBe(200);
      const revoked = RevokedResponse.parse(await response.json());
      expect(await whoami({ token: session })).toMatchObject({ status: 401, body: { error: "token_revoked" } });
      const audit = await testApp.database.db.select().from(auditLog).where(eq(auditLog.targetId, revoked.id));
      expect(audit.map((row) => row.action).sort()).toEqual(["auth.cli.session.created", "auth.cli.session.revoked"]);
    });

    it("DELETE current with a PAT is 404 and leaves the PAT alone", async () => {
      const account = await signUp(testApp);
      const pat = await createPat(account);
      const response = await testApp.del("/api/my/cli/sessions/current", { token: pat.token });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ message: expect.stringMatching(/personal access token/) });
      expect((await whoami({ token: pat.token })).status).toBe(200);
    });

    it("revokes one session by id from another session", async () => {
      const account = await signUp(testApp);
      const first = await deviceLogin(testApp, account);
      const second = await deviceLogin(testApp, account);
      const { sessions } = SessionList.parse(
        await (await testApp.get("/api/my/cli/sessions", { token: first })).json(),
      );
      const other = sessions.find((session) => !session.current);
      expect((await testApp.del(`/api/my/cli/sessions/${other?.id}`, { token: first })).status).toBe(200);
      expect((await whoami({ token: second })).status).toBe(401);
      expect((await whoami({ token: first })).status).toBe(200);
    });
  });

  describe("personal access tokens", () => {
    it.each([[["meshes:read"]], [[]], [null]])(
      "refuses scopes %j with scopes_unsupported, and makes no token",
      async (scopes) => {
        const account = await signUp(testApp);
        const session = await deviceLogin(testApp, account);
        const response = await testApp.postJson(
          "/api/my/cli/tokens",
          { name: "narrow", scopes },
          { cookie: account.cookie },
        );
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ error: "scopes_unsupported" });
        const listed = (await (await testApp.get("/api/my/cli/tokens", { token: session })).json()) as {
          tokens: unknown[];
        };
        expect(listed.tokens).toEqual([]);
      },
    );

    it("only a browser session creates one: a CLI session or a PAT gets 403 web_session_required, and no token", async () => {
      const account = await signUp(testApp);
      const session = await deviceLogin(testApp, account);
      const pat = await createPat(account);
      for (const token of [session, pat.token]) {
        const response = await testApp.postJson(
          "/api/my/cli/tokens",
          { name: "foothold", expires_in_days: null },
          { token },
        );
        expect(response.status).toBe(403);
        expect(await response.json()).toMatchObject({ error: "web_session_required", message: expect.any(String) });
      }
      const listed = TokenList.parse(await (await testApp.get("/api/my/cli/tokens", { token: session })).json());
      expect(listed.tokens.map((token) => token.name)).toEqual(["ci-deploy"]);
    });

    it("lists say where each token came from: the flow, the browser and the address", async () => {
      const account = await signUp(testApp);
      const created = await testApp.postJson(
        "/api/my/cli/tokens",
        { name: "from-firefox" },
        {
          cookie: account.cookie,
          headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0" },
        },
      );
      expect(CreatedToken.parse(await created.json())).toMatchObject({ flow: "web", browser: "Firefox · Linux" });
      const session = await deviceLogin(testApp, account);
      const listed = TokenList.parse(await (await testApp.get("/api/my/cli/tokens", { token: session })).json());
      expect(listed.tokens[0]).toMatchObject({
        name: "from-firefox",
        flow: "web",
        browser: "Firefox · Linux",
        ip_address: null,
      });
      const sessions = SessionList.parse(await (await testApp.get("/api/my/cli/sessions", { token: session })).json());
      expect(sessions.sessions.map((row) => row.flow)).toEqual(["device-code"]);
    });

    it("creation returns the token once; lists show metadata only", async () => {
      const account = await signUp(testApp);
      const session = await deviceLogin(testApp, account);
      const pat = await createPat(account, { name: "ci-deploy" });
      expect(pat.token.startsWith("cm_pat_")).toBe(true);
      expect(Date.parse(pat.expires_at ?? "")).toBe(testApp.clock.now().getTime() + 365 * DAY_MS);

      const listed = await testApp.get("/api/my/cli/tokens", { token: session });
      const text = await listed.text();
      expect(text).not.toContain(pat.token);
      const { tokens } = TokenList.parse(JSON.parse(text));
      expect(tokens).toEqual([
        {
          id: pat.id,
          name: "ci-deploy",
          created_at: pat.created_at,
          last_used_at: null,
          expires_at: pat.expires_at,
          ip_address: null,
          browser: null,
          flow: "web",
        },
      ]);
    });

    it.each([
      [30, 30 * DAY_MS],
      [90, 90 * DAY_MS],
      [null, null],
    ])("expires_in_days %s sets the expiry", async (days, lifetime) => {
      const account = await signUp(testApp);
      const pat = await createPat(account, { name: "x", expires_in_days: days });
      expect(pat.expires_at === null ? null : Date.parse(pat.expires_at) - testApp.clock.now().getTime()).toBe(
        lifetime,
      );
    });

    it.each([
      ["no name", {}],
      ["a blank name", { name: "   " }],
      ["a negative lifetime", { name: "x", expires_in_days: -1 }],
      ["a fractional lifetime", { name: "x", expires_in_days: 1.5 }],
    ])("%s is 400 invalid_input", async (_label, body) => {
      const account = await signUp(testApp);
      const response = await testApp.postJson("/api/my/cli/tokens", body, { cookie: account.cookie });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: "invalid_input" });
    });

    it("creation and revocation are audited", async () => {
      const account = await signUp(testApp);
      const pat = await createPat(account);
      await testApp.del(`/api/my/cli/tokens/${pat.id}`, { cookie: account.cookie });
      const audit = await testApp.database.db.select().from(auditLog).where(eq(auditLog.targetId, pat.id));
      expect(audit.map((row) => row.action).sort()).toEqual(["auth.cli.pat.created", "auth.cli.pat.revoked"]);
    });
  });

  describe("ownership", () => {
    it("another user's sessions and tokens can be neither listed nor revoked", async () => {
      const alice = await signUp(testApp);
      const mallory = await signUp(testApp);
      const aliceSession = await deviceLogin(testApp, alice);
      const alicePat = await createPat(alice);
      const mallorySession = await deviceLogin(testApp, mallory);

      const { sessions } = SessionList.parse(
        await (await testApp.get("/api/my/cli/sessions", { token: mallorySession })).json(),
      );
      expect(sessions).toHaveLength(1);
      const { tokens } = TokenList.parse(
        await (await testApp.get("/api/my/cli/tokens", { token: mallorySession })).json(),
      );
      expect(tokens).toEqual([]);

      const [aliceSessionRow] = await testApp.database.db.select().from(cliToken).where(eq(cliToken.userId, alice.id));
      for (const path of [`/api/my/cli/sessions/${aliceSessionRow?.id}`, `/api/my/cli/tokens/${alicePat.id}`]) {
        const response = await testApp.del(path, { token: mallorySession });
        expect(response.status).toBe(404);
      }
      expect((await whoami({ token: aliceSession })).status).toBe(200);
      expect((await whoami({ token: alicePat.token })).status).toBe(200);
    });
  });

  describe("password change", () => {
    it("revokes every CLI session of the user and their PATs of the last 30 days, not older ones", async () => {
      const account = await signUp(testApp);
      const session = await deviceLogin(testApp, account);
      const otherSession = await deviceLogin(testApp, account);
      const recentPat = await createPat(account);
      const pat = await createPat(account, { name: "old-ci" });
      const createdAt = new Date(testApp.clock.now().getTime() - 31 * DAY_MS);
      await testApp.database.db.update(cliToken).set({ createdAt }).where(eq(cliToken.id, pat.id));

      const changed = await testApp.postJson(
        "/api/auth/change-password",
        { currentPassword: account.password, newPassword: "a brand new password" },
        { cookie: account.cookie },
      );
      expect(changed.status).toBe(200);

      for (const token of [session, otherSession, recentPat.token]) {
        expect(await whoami({ token })).toMatchObject({ status: 401, body: { error: "token_revoked" } });
      }
      expect((await whoami({ token: pat.token })).status).toBe(200);
    });
  });
});
