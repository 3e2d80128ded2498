// `claudemesh login --with-token` is SIGKILLed over and over while it replaces
// the saved credential (in the test run's keyring, as on a desktop): half the kills
// at a random moment of the run, half the instant its temp file appears (mid-write,
// before the rename). After every kill auth.json must be the old file or the new
// one, whole, and the login it names must load; the temp files
// killed writers leave (they may hold a token) must not pile up: the next
// write removes them.
import { watch } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storedCredential } from "@claudemesh/sdk/testing";
import { runCli, startCli } from "@claudemesh/test-support/run-cli";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, signUp } from "./support/browser-session.js";
import { type ServerOnPostgres, startServerOnPostgres } from "./support/server-on-postgres.js";

const KILLS = 30;
const TEMP_FILE = /^\.auth\.json\..*\.tmp$/;

describe("the CLI SIGKILLed while it writes credentials", () => {
  let server: ServerOnPostgres;
  let configDir = "";
  const tokens: string[] = [];

  beforeAll(async () => {
    server = await startServerOnPostgres();
    const cookie = await signUp(server.url, "Ada Lovelace", "ada@example.test");
    for (const name of ["first", "second"]) {
      const created = await postJson(server.url, "/api/my/cli/tokens", { name }, { cookie });
      expect(created.status).toBe(201);
      tokens.push(((await created.json()) as { token: string }).token);
    }
    configDir = await mkdtemp(join(tmpdir(), "claudemesh-faults-cli-"));
  });
  afterAll(async () => {
    await server?.stop();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  const env = () => ({
    CLAUDEMESH_API_URL: server.url,
    CLAUDEMESH_CONFIG_DIR: configDir,
    DO_NOT_TRACK: "1",
  });

  /**
   * auth.json must parse whole, and the login it names must load, token and all,
   * wherever the token is: a kill between the keychain write and the auth.json
   * write must leave the old login usable, never a record without its secret.
   */
  async function savedToken(): Promise<string> {
    const text = await readFile(join(configDir, "auth.json"), "utf8");
    expect((JSON.parse(text) as { version?: number }).version).toBe(2);
    const stored = await storedCredential(env());
    expect(stored?.record.user.name).toBe("Ada Lovelace");
    expect(tokens).toContain(stored?.token);
    return stored?.token ?? "";
  }
  const tempFiles = async () => (await readdir(configDir)).filter((name) => TEMP_FILE.test(name));

  it(`auth.json is always the old or the new file, whole, over ${KILLS} kills; leftovers are cleaned by the next write`, async () => {
    const started = Date.now();
    const first = await runCli(["login", "--with-token"], env(), tokens[0]);
    expect(first.code, first.stderr).toBe(0);
    const runMs = Date.now() - started;
    expect(await savedToken()).toBe(tokens[0]);

    let killedMidWrite = 0;
    let replaced = 0;
    let mostLeftovers = 0;
    const seen = new Set<string>();
    for (let kill = 0; kill < KILLS; kill++) {
      const before = await savedToken();
      const next = tokens.find((token) => token !== before) ?? "";
      const run = startCli(["login", "--with-token"], env(), next);
      const atWrite = kill % 2 === 1;
      const watcher = atWrite
        ? watch(configDir, (_event, name) => {
            if (name && TEMP_FILE.test(name)) run.child.kill("SIGKILL");
          })
        : undefined;
      const timer = atWrite ? undefined : setTimeout(() => run.child.kill("SIGKILL"), Math.random() * runMs);
      const { code } = await run.exited;
      watcher?.close();
      clearTimeout(timer);

      const after = await savedToken();
      if (after !== before) replaced += 1;
      // A run the kill missed must have finished its job.
      if (code === 0) expect(after).toBe(next);
      const leftovers = await tempFiles();
      // A new temp file beside an unchanged auth.json: this kill landed between write and rename.
      if (leftovers.some((name) => !seen.has(name)) && after === before) killedMidWrite += 1;
      for (const name of leftovers) seen.add(name);
      mostLeftovers = Math.max(mostLeftovers, leftovers.length);
      // The next write removes what killed writers left, so they never pile up.
      expect(leftovers.length).toBeLessThanOrEqual(1);
    }

    // The kills must have landed inside the write, or this proved nothing.
    expect(killedMidWrite).toBeGreaterThan(0);

    const last = await savedToken();
    const final = await runCli(
      ["login", "--with-token"],
      env(),
      tokens.find((token) => token !== last),
    );
    expect(final.code, final.stderr).toBe(0);
    expect(await tempFiles()).toEqual([]);
    const whoami = await runCli(["whoami", "--json"], env());
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ user: { name: "Ada Lovelace" } });

    const logout = await runCli(["logout"], env());
    expect(logout.code, logout.stderr).toBe(0);
    console.log(
      `[faults] ${KILLS} kills: ${killedMidWrite} mid-write (old file kept, temp file left), ${replaced} after the rename (new file), at most ${mostLeftovers} temp file at once; a full run takes ${runMs} ms`,
    );
  });
});
