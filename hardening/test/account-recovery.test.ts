import { linkIn } from "@claudemesh/test-support/smtp-inbox";
import { describe, expect, it } from "vitest";
import { postJson, signUp } from "./support/browser-session.js";
import { useMailedCluster } from "./support/cluster.js";
import { pollDeviceCode, requestDeviceCode } from "./support/device-codes.js";

// Finding 3 and finding 8 of issue 25, replayed on two instances sharing Postgres, with mail read
// from a real SMTP server: each step goes to whichever instance the balancer picks.
describe("no foothold outlives a password, and the mailbox owner gets a squatted address back", () => {
  const mailed = useMailedCluster();

  const whoami = async (token: string) =>
    (await fetch(`${mailed.url}/api/my/whoami`, { headers: { authorization: `Bearer ${token}` } })).status;
  const signedIn = async (cookie: string) =>
    (await (await fetch(`${mailed.url}/api/auth/get-session`, { headers: { cookie } })).json()) !== null;

  /** A phished device approval: the attacker's terminal asks, the victim's browser approves. */
  async function approvedCliSession(cookie: string): Promise<string> {
    const code = await requestDeviceCode(mailed.url);
    const approved = await postJson(mailed.url, `/api/auth/cli/device-code/${code.user_code}/approve`, {}, { cookie });
    expect(approved.status).toBe(200);
    const answer = await pollDeviceCode(mailed.url, code.device_code);
    if (!answer.body.token) throw new Error(`no token: ${JSON.stringify(answer.body)}`);
    return answer.body.token;
  }

  it("a phished CLI session cannot mint a PAT, and a PAT made before the password change is refused after it", async () => {
    const email = `victim.${Date.now()}@example.test`;
    const cookie = await signUp(mailed.url, "Victim", email);
    const attacker = await approvedCliSession(cookie);

    // The attack of finding 3: the CLI session asks for a PAT that never expires.
    const minted = await postJson(
      mailed.url,
      "/api/my/cli/tokens",
      { name: "backdoor", expires_in_days: null },
      {
        authorization: `Bearer ${attacker}`,
      },
    );
    expect(minted.status).toBe(403);
    expect(await minted.json()).toMatchObject({ error: "web_session_required" });

    // A PAT made in the (stolen) browser session dies with the password change too.
    const made = await postJson(
      mailed.url,
      "/api/my/cli/tokens",
      { name: "backdoor", expires_in_days: null },
      { cookie },
    );
    expect(made.status).toBe(201);
    const pat = ((await made.json()) as { token: string }).token;
    expect(await whoami(pat)).toBe(200);
    await mailed.inbox.next(email, (mail) => mail.subject === "New claudemesh personal access token");

    const changed = await postJson(
      mailed.url,
      "/api/auth/change-password",
      { currentPassword: "correct horse battery", newPassword: "a brand new password" },
      { cookie },
    );
    expect(changed.status).toBe(200);
    expect(await whoami(attacker)).toBe(401);
    expect(await whoami(pat)).toBe(401);
  });

  it("a squatter's unverified account, reset by the mailbox's owner: the squatter's sessions and tokens end", async () => {
    const email = `owner.${Date.now()}@example.test`;
    const squatter = await signUp(mailed.url, "Squatter", email);
    const squatterCli = await approvedCliSession(squatter);
    const made = await postJson(mailed.url, "/api/my/cli/tokens", { name: "kept" }, { cookie: squatter });
    const squatterPat = ((await made.json()) as { token: string }).token;

    const asked = await fetch(`${mailed.url}/forgot-password`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: mailed.url },
      body: new URLSearchParams({ email }),
    });
    expect(asked.status).toBe(200);
    const mail = await mailed.inbox.next(email, (message) => message.subject === "Reset your claudemesh password");
    const token = new URL(linkIn(mail, `${mailed.url}/reset-password?token=`)).searchParams.get("token") ?? "";
    const reset = await fetch(`${mailed.url}/reset-password`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: mailed.url },
      body: new URLSearchParams({ token, password: "the owner's password" }),
    });
    expect(reset.status).toBe(200);

    expect(await signedIn(squatter)).toBe(false);
    expect(await whoami(squatterCli)).toBe(401);
    expect(await whoami(squatterPat)).toBe(401);
    const owner = await postJson(mailed.url, "/api/auth/sign-in/email", { email, password: "the owner's password" });
    expect(owner.status).toBe(200);
    expect(((await owner.json()) as { user: { emailVerified: boolean } }).user.emailVerified).toBe(true);
  });
});
