// The built server on a real Postgres, as a second person or a thief would meet
// it: a new password ends every other session (browser and CLI) and every recent PAT however it is
// asked for, and says so in the audit log; hostile names are refused at every
// door; and the approval page warns when a login comes from another network.

import type { RunningServer } from "@claudemesh/test-support/server-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson } from "./support/browser-session.js";
import { type Cluster, dumpDatabase, startCluster } from "./support/cluster.js";
import { DEVICE, pollDeviceCode, requestDeviceCode } from "./support/device-codes.js";
import { psql, sqlString } from "./support/outbox.js";

const PASSWORD = "correct horse battery";
const HOSTILE_NAMES = [
  "Ada\u001b]0;owned\u0007",
  "Ada\r\n✔ Authenticated as admin",
  "Ada\u202egnp.exe",
  "x".repeat(201),
  // Invisible: blank, or the same as another name to a reader.
  "a\u200bb\u2060c\u3164",
  "Ada\u200d",
  "Ada\u00adLovelace",
  "\ufeff\u3164",
  "\u115f\u1160",
  "\u2800",
];

describe("sessions and names on the real server", () => {
  let cluster: Cluster;
  let server: RunningServer;
  beforeAll(async () => {
    cluster = await startCluster(1, { TRUST_PROXY: "1" });
    server = cluster.instances[0] as RunningServer;
  });
  afterAll(() => cluster?.stop());

  const origin = () => ({ origin: cluster.balancer.url });
  const cookieOf = (response: Response) =>
    response.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");
  const signedIn = async (cookie: string) =>
    (await (await fetch(`${server.url}/api/auth/get-session`, { headers: { cookie } })).json()) !== null;
  const whoami = async (token: string) =>
    (await fetch(`${server.url}/api/my/whoami`, { headers: { authorization: `Bearer ${token}` } })).status;

  async function cliSession(cookie: string): Promise<string> {
    const code = await requestDeviceCode(server.url);
    expect((await server.decide(code.user_code, "approve", cookie)).status).toBe(200);
    const answer = await pollDeviceCode(server.url, code.device_code);
    return answer.body.token ?? "";
  }

  it("a new password, asked for the way Better Auth's clients do, ends every other session and recent PAT, audited; older PATs stay", async () => {
    const account = await server.signUp("Pat Password");
    const signIn = () =>
      postJson(server.url, "/api/auth/sign-in/email", { email: account.email, password: PASSWORD }, origin());
    const others = [cookieOf(await signIn()), cookieOf(await signIn())];
    const terminal = await cliSession(account.cookie);
    const recentPat = await server.createPat(account.cookie, "recent");
    const olderPat = await server.createPat(account.cookie, "older");
    // Made before the last 30 days: scripts that have used it for weeks keep working.
    await psql(
      cluster.postgres.url,
      `update cli_token set created_at = now() - interval '31 days' where id = ${sqlString(olderPat.id)}`,
    );

    const changed = await postJson(
      server.url,
      "/api/auth/change-password",
      { currentPassword: PASSWORD, newPassword: "a brand new password", revokeOtherSessions: true },
      { ...origin(), cookie: account.cookie },
    );
    expect(changed.status).toBe(200);
    for (const cookie of others) expect(await signedIn(cookie)).toBe(false);
    expect(await signedIn(account.cookie)).toBe(true);
    expect(await whoami(terminal)).toBe(401);
    expect(await whoami(recentPat.token)).toBe(401);
    expect(await whoami(olderPat.token)).toBe(200);

    const dump = await dumpDatabase(cluster.postgres);
    expect(dump.match(/auth\.web\.session\.revoked/g)).toHaveLength(2);
    expect(dump).toContain('"web_sessions_ended": 2');
    expect(dump).toContain('"cli_sessions_ended": 1');
    expect(dump).toContain('"pats_ended": 1');
  });

  it("the security page signs every other browser out, and revokes every PAT, in one click each", async () => {
    const account = await server.signUp("Sam Secure");
    const other = cookieOf(
      await postJson(server.url, "/api/auth/sign-in/email", { email: account.email, password: PASSWORD }, origin()),
    );
    const pat = await server.createPat(account.cookie, "goes");
    const form = (path: string) =>
      fetch(`${server.url}/dashboard/settings/security${path}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...origin(), cookie: account.cookie },
        redirect: "manual",
      });
    expect((await form("/other-sessions/revoke")).status).toBe(303);
    expect(await signedIn(other)).toBe(false);
    expect(await signedIn(account.cookie)).toBe(true);
    expect((await form("/tokens/revoke-all")).status).toBe(303);
    expect(await whoami(pat.token)).toBe(401);
  });

  it.each(HOSTILE_NAMES)("refuses the name %j at every door: account, profile, mesh, token, device", async (name) => {
    const account = await server.signUp("Nora Names");
    const asAccount = { ...origin(), cookie: account.cookie };
    const attempts = {
      "sign-up": await postJson(
        server.url,
        "/api/auth/sign-up/email",
        { name, email: `names.${Date.now()}.${Math.random()}@example.test`, password: PASSWORD },
        origin(),
      ),
      "update-user": await postJson(server.url, "/api/auth/update-user", { name }, asAccount),
      mesh: await postJson(server.url, "/api/my/meshes", { name }, asAccount),
      token: await postJson(server.url, "/api/my/cli/tokens", { name }, asAccount),
      device: await postJson(server.url, "/api/auth/cli/device-code", { ...DEVICE, device_name: name }),
    };
    const statuses = Object.fromEntries(Object.entries(attempts).map(([door, response]) => [door, response.status]));
    expect(statuses).toEqual({ "sign-up": 400, "update-user": 400, mesh: 400, token: 400, device: 400 });
  });

  it("the approval page warns when the login was asked for from another network than the approver's", async () => {
    const account = await server.signUp("Ann Approver");
    const from = (address: string) => ({ "x-forwarded-for": address });
    const asked = async (address: string) =>
      (await (await postJson(server.url, "/api/auth/cli/device-code", DEVICE, from(address))).json()) as {
        user_code: string;
      };
    const card = async (userCode: string, address: string) =>
      (
        await fetch(`${server.url}/cli-auth`, {
          method: "POST",
          headers: {
            cookie: account.cookie,
            ...origin(),
            "content-type": "application/x-www-form-urlencoded",
            ...from(address),
          },
          body: new URLSearchParams({ code: userCode }).toString(),
        })
      ).text();

    const elsewhere = await card((await asked("203.0.113.9")).user_code, "198.51.100.9");
    expect(elsewhere).toContain('data-testid="other-network"');
    expect(elsewhere).toContain("203.0.113.9");
    const sameNetwork = await card((await asked("2001:db8:9:9::1")).user_code, "2001:db8:9:9::2");
    expect(sameNetwork).not.toContain('data-testid="other-network"');
  });
});
