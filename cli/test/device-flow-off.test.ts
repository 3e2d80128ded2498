import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "@claudemesh/test-support/run-cli";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A server whose owner turned device sign-in off (DEVICE_FLOW=off): `claudemesh login`
// stops at once with what to do instead, in the reader's language, and saves nothing.
describe("claudemesh login against a server with DEVICE_FLOW=off", () => {
  let server: RunningServer;
  let configDir = "";
  beforeAll(async () => {
    server = await startClaudemeshServer({ env: { DEVICE_FLOW: "off" } });
    configDir = await mkdtemp(join(tmpdir(), "claudemesh-cli-"));
  });
  afterAll(async () => {
    await server?.stop();
    await rm(configDir, { recursive: true, force: true });
  });

  it.each([
    ["en", "device sign-in turned off", "Sign in with `claudemesh login --web` on a computer with a browser"],
    [
      "es",
      "desactivado el inicio de sesión con código de dispositivo",
      "Inicia sesión con `claudemesh login --web` en un ordenador con navegador",
    ],
  ])("says so in %s and points at the web login and tokens", async (lang, said, hint) => {
    const env = { CLAUDEMESH_API_URL: server.url, CLAUDEMESH_CONFIG_DIR: configDir, CLAUDEMESH_LANG: lang };
    const result = await runCli(["login", "--no-browser"], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(said);
    expect(result.stderr).toContain(hint);
    expect(result.stderr).toContain("claudemesh login --with-token");
    expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/);

    const status = await runCli(["auth", "status"], env);
    expect(status.code).not.toBe(0);
  });
});
