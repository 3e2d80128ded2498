import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, normalizeBaseUrl } from "../src/api/client.js";
import { DeviceFlow } from "../src/auth/device-flow.js";
import { readSdkEnv } from "../src/env.js";
import { ClaudemeshError } from "../src/errors.js";
import { mintToken } from "../src/token.js";
import { forwardingProxy, scriptedServer } from "./support/http-peers.js";

const NO_ENV = readSdkEnv({});

describe("ApiClient against the real server", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startClaudemeshServer();
  });
  afterAll(() => server.stop());

  it("device login end to end: code, approval in the browser, token, whoami", async () => {
    const api = await ApiClient.create({ baseUrl: server.url, env: NO_ENV });
    const { cookie, email } = await server.signUp("Ada Lovelace");
    const flow = new DeviceFlow({ api, device: { device_name: "sdk test", device_os: "linux", device_arch: "x64" } });
    const result = await flow.run({
      onEvent: (event) => {
        if (event.type === "code") void server.decide(event.code.user_code, "approve", cookie);
      },
    });
    expect(result.user).toMatchObject({ name: "Ada Lovelace", email });
    expect(result.token.startsWith("cm_session_")).toBe(true);

    const me = await (await api.withToken(result.token, { env: NO_ENV })).whoami();
    expect(me).toMatchObject({ user: { email }, credential: { kind: "session", name: "sdk test" } });
  });

  it("a denied login fails with access_denied", async () => {
    const api = await ApiClient.create({ baseUrl: server.url, env: NO_ENV });
    const { cookie } = await server.signUp();
    const flow = new DeviceFlow({ api });
    const login = flow.run({
      onEvent: (event) => {
        if (event.type === "code") void server.decide(event.code.user_code, "deny", cookie);
      },
    });
    await expect(login).rejects.toMatchObject({ code: "access_denied", exitStatus: 1 });
  });

  it("sessions and tokens: list, revoke; a revoked token is a typed 401 (exit 2)", async () => {
    const { cookie } = await server.signUp();
    const pat = await server.createPat(cookie, "ci-deploy");
    const api = await ApiClient.create({ baseUrl: server.url, token: pat.token, env: NO_ENV });
    // PATs are made in a browser session only (a token cannot mint itself a longer life).
    const created = await server.createPat(cookie, "second");
    expect((await api.listTokens()).tokens.map((token) => token.name).sort()).toEqual(["ci-deploy", "second"]);
    expect((await api.listSessions()).sessions).toEqual([]);
    await api.revokeToken(created.id);

    const revoked = await ApiClient.create({ baseUrl: server.url, token: created.token, env: NO_ENV });
    const error = await revoked.whoami().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClaudemeshError);
    expect(error).toMatchObject({ code: "token_revoked", exitStatus: 2 });
  });

  it.each([
    ["an unknown token", () => mintToken("pat"), "token_invalid"],
    ["no token", () => undefined, "auth_required"],
  ])("%s is a typed 401 with the server's reason", async (_label, token, code) => {
    const api = await ApiClient.create({ baseUrl: server.url, token: token(), env: NO_ENV });
    await expect(api.whoami()).rejects.toMatchObject({ code, exitStatus: 2 });
  });

  it("sends a User-Agent naming the SDK, the platform and the client", async () => {
    let seen = "";
    const peer = await scriptedServer((req, res) => {
      seen = req.headers["user-agent"] ?? "";
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ tokens: [] }));
    });
    try {
      const api = await ApiClient.create({ baseUrl: peer.url, client: "claudemesh-cli/9.9.9", env: NO_ENV });
      await api.listTokens();
      expect(seen).toMatch(/^claudemesh-sdk\/\d+\.\d+\.\d+ \((linux|darwin|win32); \w+\) claudemesh-cli\/9\.9\.9$/);
    } finally {
      await peer.close();
    }
  });
});

describe("ApiClient's send policy against real sockets", () => {
  const json = (status: number, body: unknown) => (res: import("node:http").ServerResponse) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  const notFound = { error: "not_found", message: "No such session." };

  it("retries 503 with backoff and succeeds", async () => {
    const peer = await scriptedServer((_req, res, count) =>
      count < 3 ? json(503, { error: "server_error", message: "busy" })(res) : json(200, { tokens: [] })(res),
    );
    try {
      const api = await ApiClient.create({ baseUrl: peer.url, env: NO_ENV });
      expect(await api.listTokens()).toEqual({ tokens: [] });
      expect(peer.requests()).toBe(3);
    } finally {
      await peer.close();
    }
  });

  it.each([400, 401, 404, 429])("never retries a %i", async (status) => {
    const peer = await scriptedServer((_req, res) => json(status, { error: "x", message: "no" })(res));
    try {
      const api = await ApiClient.create({ baseUrl: peer.url, env: NO_ENV });
      await expect(api.listTokens()).rejects.toBeInstanceOf(ClaudemeshError);
      expect(peer.requests()).toBe(1);
    } finally {
      await peer.close();
    }
  });

  it("never sends a POST twice, even on a 503", async () => {
    const peer = await scriptedServer((_req, res) => json(503, { error: "server_error", message: "busy" })(res));
    try {
      const api = await ApiClient.create({ baseUrl: peer.url, env: NO_ENV });
      await expect(api.createMesh({ name: "Platform team" })).rejects.toMatchObject({ code: "server_error" });
      expect(peer.requests()).toBe(1);
    } finally {
      await peer.close();
    }
  });

  it("sends a DELETE again after a 502, and says what the server finally answered", async () => {
    const peer = await scriptedServer((_req, res, count) =>
      count < 2 ? json(502, { error: "server_error", message: "gateway" })(res) : json(404, notFound)(res),
    );
    try {
      const api = await ApiClient.create({ baseUrl: peer.url, env: NO_ENV });
      await expect(api.revokeSession("s1")).rejects.toMatchObject({ code: "not_found", message: "No such session." });
      expect(peer.requests()).toBe(2);
    } finally {
      await peer.close();
    }
  });

  it("does not follow a redirect (the token would go along): it is an error to report", async () => {
    const peer = await scriptedServer((req, res) =>
      req.url === "/elsewhere" ? json(200, { tokens: [] })(res) : res.writeHead(302, { location: "/elsewhere" }).end(),
    );
    try {
      const api = await ApiClient.create({ baseUrl: peer.url, token: mintToken("pat"), env: NO_ENV });
      await expect(api.listTokens()).rejects.toMatchObject({ code: "invalid_input", message: /^302/ });
      expect(peer.requests()).toBe(1);
    } finally {
      await peer.close();
    }
  });

  it("a certificate Node does not trust is a tls error pointing at NODE_EXTRA_CA_CERTS", async () => {
    const dir = mkdtempSync(join(tmpdir(), "claudemesh-tls-"));
    const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"].concat([
        "-keyout",
        key,
        "-out",
        cert,
      ]),
      { stdio: "ignore" },
    );
    const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) =>
      json(200, { tokens: [] })(res),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const api = await ApiClient.create({ baseUrl: url, env: NO_ENV, retries: 0 });
      const error = await api.listTokens().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ClaudemeshError);
      expect(error).toMatchObject({ code: "tls", hintKey: "trustProxyCa" });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an answer of the wrong shape is bad_response, not a crash later", async () => {
    const peer = await scriptedServer((_req, res) => json(200, { tokens: "nope" })(res));
    try {
      const api = await ApiClient.create({ baseUrl: peer.url, env: NO_ENV });
      await expect(api.listTokens()).rejects.toMatchObject({ code: "bad_response", message: /tokens/ });
    } finally {
      await peer.close();
    }
  });

  it("a refused connection is a network error naming the server", async () => {
    const peer = await scriptedServer(() => {});
    const url = peer.url;
    await peer.close();
    const api = await ApiClient.create({ baseUrl: url, env: NO_ENV, retries: 0 });
    await expect(api.whoami()).rejects.toMatchObject({ code: "network", message: expect.stringContaining(url) });
  });

  it("a server that never answers is a timeout", async () => {
    const peer = await scriptedServer(() => {}); // holds every request
    try {
      const api = await ApiClient.create({ baseUrl: peer.url, env: NO_ENV, timeoutMs: 300, retries: 0 });
      await expect(api.whoami()).rejects.toMatchObject({ code: "timeout" });
    } finally {
      await peer.close();
    }
  });

  it("goes through HTTP_PROXY, and around it for hosts in NO_PROXY", async () => {
    const peer = await scriptedServer((_req, res) => json(200, { tokens: [] })(res));
    const proxy = await forwardingProxy();
    try {
      const proxied = await ApiClient.create({ baseUrl: peer.url, env: readSdkEnv({ HTTP_PROXY: proxy.url }) });
      await proxied.listTokens();
      expect(proxy.forwarded).toEqual([`CONNECT ${new URL(peer.url).host}`]);

      const bypassed = await ApiClient.create({
        baseUrl: peer.url,
        env: readSdkEnv({ HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" }),
      });
      await bypassed.listTokens();
      expect(proxy.forwarded).toHaveLength(1);
      expect(peer.requests()).toBe(2);
    } finally {
      await proxy.close();
      await peer.close();
    }
  });

  it("base URL: option beats CLAUDEMESH_API_URL beats the default", async () => {
    expect((await ApiClient.create({ env: NO_ENV })).baseUrl).toBe("https://claudemesh.com");
    const fromEnv = readSdkEnv({ CLAUDEMESH_API_URL: "http://localhost:3000/" });
    expect((await ApiClient.create({ env: fromEnv })).baseUrl).toBe("http://localhost:3000");
    expect((await ApiClient.create({ env: fromEnv, baseUrl: "https://other.test" })).baseUrl).toBe(
      "https://other.test",
    );
    expect(() => normalizeBaseUrl("ftp://x")).toThrow(/http/);
  });
});
