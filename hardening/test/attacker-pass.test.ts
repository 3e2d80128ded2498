import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "@claudemesh/test-support/run-cli";
import { linkIn } from "@claudemesh/test-support/smtp-inbox";
import { psql } from "@claudemesh/test-support/throwaway-postgres";
import { describe, expect, it } from "vitest";
import { postJson, REQUEST_TIMEOUT_MS, signUp } from "./support/browser-session.js";
import { useMailedCluster } from "./support/cluster.js";
import { DEVICE, pollDeviceCode, requestDeviceCode } from "./support/device-codes.js";
import { FORBIDDEN, hostile } from "./support/hostile-text.js";

// Issue 25's attacker pass, round 3, on the surfaces round 3 added: "Confirm it's you", the
// password reset and the "this wasn't me" link. Replays, parallel bursts over two instances
// sharing Postgres, and hostile strings (100 KB, escape codes, bidi) in every field; mail is
// read from a real SMTP server. Findings 5, 8 and 9 of the issue are replayed here too.
describe('the attacker pass on step-up, password reset and "this wasn\'t me", two instances on one Postgres', () => {
  const mailed = useMailedCluster();

  let people = 0;
  const newEmail = (who: string) => `${who}${++people}.${Date.now()}@example.test`;
  const PASSWORD = "correct horse battery";

  /** A form post as a page of this site sends it (or, with `origin`, as another site's page would). */
  const postForm = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(new URL(path, mailed.url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: mailed.url, ...headers },
      body: new URLSearchParams(fields),
      redirect: "manual",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  const whoami = async (token: string) =>
    (await fetch(`${mailed.url}/api/my/whoami`, { headers: { authorization: `Bearer ${token}` } })).status;
  const signedIn = async (cookie: string) =>
    (await (await fetch(`${mailed.url}/api/auth/get-session`, { headers: { cookie } })).json()) !== null;
  const signInStatus = async (email: string, password: string) =>
    (await postJson(mailed.url, "/api/auth/sign-in/email", { email, password })).status;

  /** Every answer a client error, never a 5xx; and the page's text never carries what the field held. */
  async function expectRefusedCleanly(response: Response, echoed: string[] = []) {
    const body = await response.text();
    expect(response.status, body.slice(0, 300)).toBeGreaterThanOrEqual(400);
    expect(response.status, body.slice(0, 300)).toBeLessThan(500);
    for (const text of echoed) expect(body).not.toContain(text);
  }

  /** 100 KB (past the 64 KB body limit), escape codes and bidi, markup: what a hostile form field holds. */
  const HOSTILE_FIELDS = [
    "x".repeat(100 * 1024),
    `"><script>alert(1)</script>${hostile("fieldvalue")}`,
    `a@${"a.".repeat(30_000)}@`,
  ];

  it('"this wasn\'t me": another site cannot post it, hostile links are refused, a burst over both instances acts once, a replay not at all', async () => {
    const email = newEmail("alerted");
    const cookie = await signUp(mailed.url, "Alerted", email);
    const made = await postJson(mailed.url, "/api/my/cli/tokens", { name: "ci", expires_in_days: 30 }, { cookie });
    expect(made.status).toBe(201);
    const pat = ((await made.json()) as { token: string }).token;
    const mail = await mailed.inbox.next(
      email,
      (message) => message.subject === "New claudemesh personal access token",
    );
    const link = new URL(linkIn(mail, `${mailed.url}/security-alert/`));

    // Another site's page posting the link, or a client-less post claiming another origin: refused, nothing spent.
    await expectRefusedCleanly(await postForm(link.pathname, {}, { origin: "https://evil.example" }));
    await expectRefusedCleanly(await postForm(link.pathname, {}, { origin: "null", "sec-fetch-site": "cross-site" }));
    expect(await whoami(pat)).toBe(200);

    // Secrets that are not one: too long for a URL, escapes, markup, another link's shape.
    for (const secret of [
      "a".repeat(100 * 1024),
      "a".repeat(8 * 1024),
      encodeURIComponent(hostile("secret")),
      encodeURIComponent('"><script>'),
    ]) {
      await expectRefusedCleanly(await postForm(`/security-alert/${secret}`, {}), ["<script>"]);
      await expectRefusedCleanly(await fetch(`${mailed.url}/security-alert/${secret}`), ["<script>"]);
    }

    // Eight clicks at once, spread over both instances: one acts.
    const burst = await Promise.all(Array.from({ length: 8 }, () => postForm(link.pathname, {})));
    expect(burst.map((response) => response.status).sort()).toEqual([200, 404, 404, 404, 404, 404, 404, 404]);
    expect(await whoami(pat)).toBe(401);
    expect(await signedIn(cookie)).toBe(false);
    // And later, once more (a mail scanner, a second tab): the link is spent.
    expect((await postForm(link.pathname, {})).status).toBe(404);
    expect((await fetch(link)).status).toBe(404);
  });

  it("password reset: hostile fields are refused cleanly, a burst of one link's posts resets once, a replay never", async () => {
    const email = newEmail("reset");
    await signUp(mailed.url, "Reset", email);
    for (const field of HOSTILE_FIELDS) {
      await expectRefusedCleanly(await postForm("/forgot-password", { email: field }), ["<script>"]);
    }
    expect((await postForm("/forgot-password", { email })).status).toBe(200);
    const mail = await mailed.inbox.next(email, (message) => message.subject === "Reset your claudemesh password");
    const token = new URL(linkIn(mail, `${mailed.url}/reset-password?token=`)).searchParams.get("token") ?? "";

    for (const field of HOSTILE_FIELDS) {
      await expectRefusedCleanly(await postForm("/reset-password", { token: field, password: "a new password" }), [
        "<script>",
      ]);
    }
    // Too long for a password (past 128 characters, past the body limit), with escapes, bidi and markup.
    for (const password of [HOSTILE_FIELDS[0] ?? "", `"><script>${hostile("x".repeat(120))}`]) {
      await expectRefusedCleanly(await postForm("/reset-password", { token, password }), ["<script>"]);
    }
    // A hostile link only shows the form (it is checked when posted), never with its markup live.
    for (const field of HOSTILE_FIELDS.slice(1)) {
      const shown = await fetch(`${mailed.url}/reset-password?token=${encodeURIComponent(field)}`);
      expect(shown.status).toBeLessThan(500);
      expect(await shown.text()).not.toContain("<script>");
    }

    // Six posts of the one link at once, each with its own password, over both instances: one wins.
    const passwords = Array.from({ length: 6 }, (_, i) => `new password number ${i}`);
    const burst = await Promise.all(passwords.map((password) => postForm("/reset-password", { token, password })));
    expect(burst.map((response) => response.status).sort()).toEqual([200, 400, 400, 400, 400, 400]);
    const winner = passwords[burst.findIndex((response) => response.status === 200)] ?? "";
    expect(await signInStatus(email, winner)).toBe(200);
    expect(await signInStatus(email, PASSWORD)).toBe(401);

    // The link again, after it worked: refused, and the password stays the winner's.
    expect((await postForm("/reset-password", { token, password: "the attacker's password" })).status).toBe(400);
    expect(await signInStatus(email, "the attacker's password")).toBe(401);
  });

  it("Confirm it's you: hostile fields are refused cleanly, `next` stays on this site, a burst of wrong passwords gets its limit's worth checked", async () => {
    const email = newEmail("confirm");
    const cookie = await signUp(mailed.url, "Confirm", email);
    for (const field of HOSTILE_FIELDS.slice(0, 1)) {
      await expectRefusedCleanly(await postForm("/confirm", { password: field, next: "/" }, { cookie }));
      await expectRefusedCleanly(await postForm("/confirm", { password: PASSWORD, next: field }, { cookie }));
    }
    for (const next of ["//evil.example/", "/\\evil.example", `/${hostile("next")}`, HOSTILE_FIELDS[1] ?? ""]) {
      const confirmed = await postForm("/confirm", { password: PASSWORD, next }, { cookie });
      expect(confirmed.status).toBe(303);
      const location = confirmed.headers.get("location") ?? "";
      expect(location).toMatch(/^\/(?![/\\])/);
      for (const character of [...FORBIDDEN, "<", '"']) expect(location).not.toContain(character);
    }

    // Thirty wrong passwords at once over both instances: ten on the browser's device cookie, then ten on
    // the account from this address (a used-up device cookie counts for nothing), the rest refused.
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        postForm("/confirm", { password: `guess ${i} ${hostile("pw")}`, next: "/" }, { cookie }),
      ),
    );
    const statuses = burst.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(20);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
  });

  it("finding 5: a phished device approval shows in the real CLI's sessions list with the address the server recorded", async () => {
    const email = newEmail("listed");
    const cookie = await signUp(mailed.url, "Listed", email);
    // The device fields are the attacker's to choose; the address is the server's.
    const code = await requestDeviceCode(mailed.url);
    const approved = await postJson(mailed.url, `/api/auth/cli/device-code/${code.user_code}/approve`, {}, { cookie });
    expect(approved.status).toBe(200);
    expect((await pollDeviceCode(mailed.url, code.device_code)).body.token).toMatch(/^cm_session_/);
    const made = await postJson(mailed.url, "/api/my/cli/tokens", { name: "victim", expires_in_days: 30 }, { cookie });
    const pat = ((await made.json()) as { token: string }).token;

    const configDir = await mkdtemp(join(tmpdir(), "claudemesh-attacker-pass-"));
    try {
      const env = {
        CLAUDEMESH_API_URL: mailed.url,
        CLAUDEMESH_CONFIG_DIR: configDir,
        CLAUDEMESH_TOKEN: pat,
        DO_NOT_TRACK: "1",
      };
      const listed = await runCli(["sessions", "list", "--json"], env);
      expect(listed.code, listed.stderr).toBe(0);
      const { sessions } = JSON.parse(listed.stdout) as {
        sessions: { device_name: string; ip_address: string | null }[];
      };
      const phished = sessions.find((session) => session.device_name === DEVICE.device_name);
      expect(phished?.ip_address).toBe("127.0.0.1");
      const human = await runCli(["sessions", "list"], env);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout.split("\n").find((line) => line.includes(DEVICE.device_name))).toContain("127.0.0.1");
    } finally {
      await rm(configDir, { recursive: true, force: true });
    }
  });

  it("finding 9: an hour after its last proof, a browser session mints no PAT and approves nothing until it confirms", async () => {
    const email = newEmail("stale");
    const cookie = await signUp(mailed.url, "Stale", email);
    await psql(
      mailed.cluster.postgres.url,
      `update session set authenticated_at = now() - interval '2 hours' where user_id = (select id from "user" where email = '${email}')`,
    );
    const minted = await postJson(mailed.url, "/api/my/cli/tokens", { name: "ci", expires_in_days: null }, { cookie });
    expect(minted.status).toBe(403);
    expect(await minted.json()).toMatchObject({ error: "step_up_required" });
    const changed = await postJson(
      mailed.url,
      "/api/auth/change-password",
      { currentPassword: PASSWORD, newPassword: "another long password" },
      { cookie },
    );
    expect(changed.status).toBe(403);
    expect((await postForm("/confirm", { password: PASSWORD, next: "/" }, { cookie })).status).toBe(303);
    expect(
      (await postJson(mailed.url, "/api/my/cli/tokens", { name: "ci", expires_in_days: 30 }, { cookie })).status,
    ).toBe(201);
  });

  it("finding 8: sign-up answers a taken address as it answers a new one, and mails the owner instead", async () => {
    const email = newEmail("taken");
    await signUp(mailed.url, "Owner", email);
    const signUpAs = (address: string) =>
      postJson(mailed.url, "/api/auth/sign-up/email", {
        name: "Squatter",
        email: address,
        password: "another password",
      });
    const [taken, fresh] = [await signUpAs(email), await signUpAs(newEmail("fresh"))];
    expect(taken.status).toBe(fresh.status);
    expect(taken.headers.getSetCookie()).toEqual([]);
    expect(fresh.headers.getSetCookie()).toEqual([]);
    // The same fields, each of the same type, in the same order: nothing in the answer tells them apart.
    const shape = (body: unknown) =>
      JSON.parse(
        JSON.stringify(body, (_key, value) => (value !== null && typeof value === "object" ? value : typeof value)),
      );
    const [takenShape, freshShape] = [shape(await taken.json()), shape(await fresh.json())];
    expect(takenShape, JSON.stringify([takenShape, freshShape])).toEqual(freshShape);
    expect(JSON.stringify(takenShape)).toBe(JSON.stringify(freshShape));
    await mailed.inbox.next(email, (message) => /already have/i.test(message.subject));
    // A name the server refuses, refused alike (a taken address once got a made-up 200).
    const withBadName = (address: string) =>
      postJson(mailed.url, "/api/auth/sign-up/email", {
        name: "a\u200bb",
        email: address,
        password: "another password",
      });
    expect([(await withBadName(email)).status, (await withBadName(newEmail("free"))).status]).toEqual([400, 400]);
  });
});
