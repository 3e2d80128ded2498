// An invite sent to an address goes to whoever proves they read that address,
// not to whoever registers it first: against the built server on a real Postgres.
import { createHmac } from "node:crypto";
import { RATE_LIMITS } from "claudemesh-server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, REQUEST_TIMEOUT_MS, signUp } from "./support/browser-session.js";
import { outboxFor, verificationLinkFor } from "./support/outbox.js";
import { type ServerOnPostgres, startServerOnPostgres } from "./support/server-on-postgres.js";

describe("email-bound invites need a verified address", () => {
  let server: ServerOnPostgres;
  beforeAll(async () => {
    server = await startServerOnPostgres();
  });
  afterAll(() => server?.stop());

  let accounts = 0;
  const address = (label: string) => `${label}.${++accounts}.${Date.now()}@example.test`;

  const get = (path: string, cookie = "") =>
    fetch(new URL(path, server.url), {
      headers: cookie ? { cookie } : {},
      redirect: "manual",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });

  const postForm = (path: string, cookie: string, fields: Record<string, string> = {}) =>
    fetch(new URL(path, server.url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(server.url).origin, cookie },
      body: new URLSearchParams(fields).toString(),
      redirect: "manual",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });

  /** A mesh of a new owner and an invite from it to `email`; returns the invite's secret. */
  async function inviteTo(email: string): Promise<string> {
    const owner = await signUp(server.url, "Olga Owner", address("owner"));
    const mesh = (await (
      await postJson(server.url, "/api/my/meshes", { name: `Mesh ${accounts}` }, { cookie: owner })
    ).json()) as {
      id: string;
    };
    const invite = await postJson(server.url, `/api/my/meshes/${mesh.id}/invites`, { email }, { cookie: owner });
    expect(invite.status).toBe(201);
    return ((await invite.json()) as { url: string }).url.split("/invite/")[1] ?? "";
  }

  const accept = (secret: string, cookie: string) =>
    postJson(server.url, `/api/invites/${secret}/accept`, {}, { cookie });

  it("someone who registers the invited address without its inbox cannot take the invite, nor verify around it", async () => {
    const victim = address("victim");
    const secret = await inviteTo(victim);
    const mallory = await signUp(server.url, "Mallory", victim);

    const byApi = await accept(secret, mallory);
    expect(byApi.status).toBe(403);
    expect(await byApi.json()).toMatchObject({ error: "email_unverified" });
    const byPage = await postForm(`/invite/${secret}`, mallory);
    expect(byPage.status).toBe(403);
    expect(await byPage.text()).toContain("Confirm your email address first");

    // Ways around the inbox: set the flag, forge a link, or have the server mail the link elsewhere.
    await postJson(server.url, "/api/auth/update-user", { emailVerified: true, name: "Mallory" }, { cookie: mallory });
    const forged = jwt({ email: victim, exp: Math.floor(Date.now() / 1000) + 3600 }, "not-the-server-secret");
    const opened = await get(`/api/auth/verify-email?token=${forged}&callbackURL=%2Femail-verification`, mallory);
    expect(opened.headers.get("location")).toBe("/email-verification?error=INVALID_TOKEN");
    const mailed = (await outboxFor(server.cluster.url, victim)).length;
    const anonymous = await postJson(server.url, "/api/auth/send-verification-email", {
      email: victim,
      callbackURL: "https://evil.example/",
    });
    expect(anonymous.status).toBe(401);
    expect(await outboxFor(server.cluster.url, victim)).toHaveLength(mailed);

    expect((await accept(secret, mallory)).status).toBe(403);
    const meshes = (await (await get("/api/my/meshes", mallory)).json()) as { meshes: unknown[] };
    expect(meshes.meshes).toEqual([]);
  });

  it("the address's owner opens the emailed link, in their language, lands on the verified page and joins", async () => {
    const bea = address("bea");
    const secret = await inviteTo(bea);
    const signedUp = await postJson(
      server.url,
      "/api/auth/sign-up/email",
      { name: "Bea", email: bea, password: "correct horse battery" },
      { "accept-language": "es-ES,es;q=0.9" },
    );
    expect(signedUp.status).toBe(200);
    const cookie = cookieOf(
      await postJson(server.url, "/api/auth/sign-in/email", { email: bea, password: "correct horse battery" }),
    );
    expect((await accept(secret, cookie)).status).toBe(403);

    const mail = (await outboxFor(server.cluster.url, bea)).find((email) => email.body.includes("/verify-email?"));
    expect(mail?.subject).toBe("Confirma tu correo electrónico para claudemesh");
    const link = await verificationLinkFor(server.cluster.url, bea);
    expect(link?.startsWith(`${server.url}/api/auth/verify-email?`)).toBe(true);
    const opened = await get(link ?? "");
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toBe("/email-verification");
    expect(cookieOf(opened)).not.toContain("session_token=");
    const landed = await fetch(new URL("/email-verification", server.url), {
      headers: { cookie, "accept-language": "es" },
    });
    expect(await landed.text()).toContain("Tu correo electrónico está verificado");

    const joined = await accept(secret, cookie);
    expect(joined.status).toBe(200);
  });

  it("a burst of resends gets exactly the hourly allowance through, the sign-up's email included", async () => {
    const email = address("burst");
    const cookie = await signUp(server.url, "Burst", email);
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        postJson(server.url, "/api/auth/send-verification-email", { email }, { cookie }).then((r) => r.status),
      ),
    );
    const { limit } = RATE_LIMITS.verificationEmailsPerAccount;
    expect(answers.filter((status) => status === 200)).toHaveLength(limit - 1);
    expect(answers.filter((status) => status === 429)).toHaveLength(12 - (limit - 1));
    expect(await outboxFor(server.cluster.url, email)).toHaveLength(limit);
  });
});

/** The `name=value` pairs a response set, for a Cookie header. */
function cookieOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
}

/** An HS256 JWT signed with `secret`. */
function jwt(payload: Record<string, unknown>, secret: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${part({ alg: "HS256", typ: "JWT" })}.${part(payload)}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}
