import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client.js";
import { LoopbackFlow, type LoopbackFlowEvent } from "../src/auth/loopback-flow.js";
import { readSdkEnv } from "../src/env.js";

const NO_ENV = readSdkEnv({});
const DEVICE = { device_name: "loopback test", device_os: "linux", device_arch: "x64" };

/**
 * What a signed-in browser does with the authorize URL: load the page, press
 * Approve or Deny (a same-origin form post), follow the redirect to the CLI's
 * callback, and show what the callback answers.
 */
function browser(
  server: RunningServer,
  cookie: string,
  decision: "approve" | "deny",
  seen: { page?: string; done?: Promise<void> },
) {
  return (authorizeUrl: string) => {
    seen.done = act(authorizeUrl);
    return Promise.resolve();
  };
  async function act(authorizeUrl: string) {
    const page = await fetch(authorizeUrl, { headers: { cookie } });
    if (page.status !== 200) throw new Error(`authorize page answered ${page.status}`);
    await page.text();
    const form = new URLSearchParams([...new URL(authorizeUrl).searchParams, ["decision", decision]]);
    const posted = await fetch(new URL("/cli-auth/authorize", server.url), {
      method: "POST",
      headers: { cookie, origin: new URL(server.url).origin, "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      redirect: "manual",
    });
    const callback = await fetch(posted.headers.get("location") ?? "");
    seen.page = await callback.text();
  }
}

describe("LoopbackFlow against the real server", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startClaudemeshServer();
  });
  afterAll(() => server.stop());

  it("approve in the browser → token; the browser is told only after the exchange", async () => {
    const { cookie, email } = await server.signUp("Grace Hopper");
    const api = await ApiClient.create({ baseUrl: server.url, env: NO_ENV });
    const seen: { page?: string; done?: Promise<void> } = {};
    const events: LoopbackFlowEvent["type"][] = [];
    const result = await new LoopbackFlow({
      api,
      device: DEVICE,
      openBrowser: browser(server, cookie, "approve", seen),
    }).run({
      onEvent: (event) => events.push(event.type),
    });
    expect(result.user).toMatchObject({ name: "Grace Hopper", email });
    expect(events).toEqual(["authorize_url", "done"]);
    await seen.done;
    expect(seen.page).toContain("Signed in as Grace Hopper. Return to your terminal.");
    const me = await (await api.withToken(result.token, { env: NO_ENV })).whoami();
    expect(me.credential).toMatchObject({ kind: "session", name: "loopback test" });
  });

  it("deny in the browser → access_denied", async () => {
    const { cookie } = await server.signUp();
    const api = await ApiClient.create({ baseUrl: server.url, env: NO_ENV });
    const seen: { page?: string; done?: Promise<void> } = {};
    const flow = new LoopbackFlow({ api, device: DEVICE, openBrowser: browser(server, cookie, "deny", seen) });
    await expect(flow.run()).rejects.toMatchObject({ code: "access_denied" });
    await seen.done;
    expect(seen.page).toContain("You denied the sign-in.");
  });

  it("ignores a callback with someone else's state and keeps waiting for the real one", async () => {
    const { cookie } = await server.signUp();
    const api = await ApiClient.create({ baseUrl: server.url, env: NO_ENV });
    const seen: { page?: string; done?: Promise<void> } = {};
    const realBrowser = browser(server, cookie, "approve", seen);
    let forged = 0;
    const result = await new LoopbackFlow({
      api,
      device: DEVICE,
      openBrowser: async (url) => {
        const redirect = new URL(new URL(url).searchParams.get("redirect_uri") ?? "");
        redirect.search = "code=stolen&state=wrong";
        forged = (await fetch(redirect)).status;
        await realBrowser(url);
      },
    }).run();
    await seen.done;
    expect(forged).toBe(400);
    expect(result.token.startsWith("cm_session_")).toBe(true);
  });

  it("gives up after its timeout, and an abort ends it as cancelled", async () => {
    const api = await ApiClient.create({ baseUrl: server.url, env: NO_ENV });
    const idle = async () => {};
    await expect(new LoopbackFlow({ api, openBrowser: idle, timeoutMs: 200 }).run()).rejects.toMatchObject({
      code: "timeout",
    });
    const controller = new AbortController();
    const waiting = new LoopbackFlow({ api, openBrowser: idle }).run({ signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: "cancelled", exitStatus: 130 });
  });
});
