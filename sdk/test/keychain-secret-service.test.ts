import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tokenFingerprint } from "../src/credentials/auth-file.js";
import { mintToken } from "../src/token.js";

// The real thing: keytar (@github/keytar's prebuilt binary), talking to gnome-keyring's Secret
// Service on a private D-Bus session (dbus-run-session), as on a Linux desktop.

const run = promisify(execFile);
const PROBE_SOURCE = fileURLToPath(new URL("./support/keychain-probe.ts", import.meta.url));
const KEYTAR = createRequire(import.meta.url).resolve("@github/keytar");
const API_URL = "http://localhost:3000";
/** The probe saves as user u1: entries are keyed by server origin, user id and the token's fingerprint. */
const accountFor = (token: string) => `${new URL(API_URL).origin}#u1#${tokenFingerprint(token)}`;

interface ProbeOutcome {
  ok: boolean;
  result?: Record<string, unknown> | null;
  code?: string;
  message?: string;
  notices: string[];
  ms: number;
}

let work: string;
let probe: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "claudemesh-keychain-"));
  probe = join(work, "probe.mjs");
  await build({
    entryPoints: [PROBE_SOURCE],
    outfile: probe,
    bundle: true,
    platform: "node",
    format: "esm",
    // keytar stays the real native module, loaded from where pnpm installed it.
    plugins: [
      {
        name: "keytar",
        setup: (b) => b.onResolve({ filter: /^@github\/keytar$/ }, () => ({ path: KEYTAR, external: true })),
      },
    ],
  });
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** Runs shell `steps` inside a fresh D-Bus session with gnome-keyring (unlocked unless told otherwise). */
async function inKeyringSession(steps: string, options: { unlocked: boolean }): Promise<string> {
  const start = options.unlocked
    ? "echo -n test-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null"
    : "gnome-keyring-daemon --start --components=secrets >/dev/null";
  const { stdout } = await run("dbus-run-session", ["--", "sh", "-c", `${start}; ${steps}`], {
    env: { PATH: process.env.PATH ?? "", HOME: work, XDG_DATA_HOME: await mkdtemp(join(work, "xdg-")) },
    timeout: 30_000,
  });
  return stdout;
}

const probeStep = (action: string, configDir: string, token = "") =>
  `node ${probe} ${action} ${configDir} ${API_URL} ${token}`;
/** Runs a probe step in the background and prints its answer as soon as it gives one. */
const answeredWhileHung = (step: string) =>
  `rm -f "$HOME/answer"; ${step} > "$HOME/answer" 2>&1 & i=0; while [ ! -s "$HOME/answer" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; cat "$HOME/answer"`;
const outcomes = (stdout: string): ProbeOutcome[] =>
  stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as ProbeOutcome);

describe("credentials in a real Secret Service (gnome-keyring)", () => {
  let configDir: string;
  beforeEach(async () => {
    configDir = await mkdtemp(join(work, "config-"));
  });

  it("keeps the token in the keyring (service claudemesh, account = origin#user#fingerprint), not in auth.json; clear removes it", async () => {
    const token = mintToken("session");
    const stdout = await inKeyringSession(
      [
        probeStep("save", configDir, token),
        `echo "SECRET-TOOL:$(secret-tool lookup service claudemesh account '${accountFor(token)}')"`,
        probeStep("load", configDir),
        probeStep("clear", configDir),
        `echo "AFTER-CLEAR:$(secret-tool lookup service claudemesh account '${accountFor(token)}')"`,
      ].join("; "),
      { unlocked: true },
    );
    const [saved, loaded, cleared] = outcomes(stdout);
    expect(saved).toMatchObject({ ok: true, result: { store: "keychain" }, notices: [] });
    expect(stdout).toContain(`SECRET-TOOL:${token}`);
    expect(loaded).toMatchObject({ ok: true, result: { token, store: "keychain" } });
    expect(cleared).toMatchObject({ ok: true, result: { removed: true } });
    expect(stdout).toContain("AFTER-CLEAR:\n");
  });

  it("auth.json beside the keyring holds everything but the token", async () => {
    const token = mintToken("session");
    await inKeyringSession(probeStep("save", configDir, token), { unlocked: true });
    const file = JSON.parse(await readFile(join(configDir, "auth.json"), "utf8"));
    expect(file.servers[API_URL]).toMatchObject({
      token_store: "keychain",
      user: { email: "ada@example.test" },
      api_url: API_URL,
    });
    expect(JSON.stringify(file)).not.toContain(token);
  });

  it("a secret planted under the account's entry is not used: credential_mismatch", async () => {
    const token = mintToken("session");
    const planted = mintToken("session");
    const stdout = await inKeyringSession(
      [
        probeStep("save", configDir, token),
        `printf %s ${planted} | secret-tool store --label=planted service claudemesh account '${accountFor(token)}'`,
        probeStep("load", configDir),
      ].join("; "),
      { unlocked: true },
    );
    const [saved, loaded] = outcomes(stdout);
    expect(saved).toMatchObject({ ok: true, result: { store: "keychain" } });
    expect(loaded).toMatchObject({ ok: false, code: "credential_mismatch" });
    expect(JSON.stringify(loaded)).not.toContain(planted);
  });

  it("a Secret Service that stops answering (SIGSTOP): save falls back to auth.json, load says the keychain did not answer", async () => {
    const token = mintToken("session");
    const stdout = await inKeyringSession(
      [
        probeStep("save", configDir, token),
        "pkill -STOP -x gnome-keyring-d",
        // The probe answers within the timeout, but its process cannot exit while a keychain
        // thread waits on the stopped daemon (Node joins its thread pool at exit): resume it then.
        answeredWhileHung(probeStep("load", configDir)),
        answeredWhileHung(probeStep("save", configDir, token)),
        "pkill -CONT -x gnome-keyring-d",
      ].join("; "),
      { unlocked: true },
    );
    const [saved, loaded, savedWhileHung] = outcomes(stdout);
    expect(saved).toMatchObject({ ok: true, result: { store: "keychain" } });
    expect(loaded).toMatchObject({ ok: false, code: "keychain_unavailable", message: /did not answer/ });
    expect(savedWhileHung).toMatchObject({ ok: true, result: { store: "file" } });
  });

  it("a locked keyring: the save falls back to auth.json in under a second, nothing lost", async () => {
    const token = mintToken("session");
    const stdout = await inKeyringSession(
      [probeStep("save", configDir, token), probeStep("load", configDir)].join("; "),
      {
        unlocked: false,
      },
    );
    const [saved, loaded] = outcomes(stdout);
    expect(saved).toMatchObject({ ok: true, result: { store: "file" } });
    expect(saved?.notices).toEqual([expect.stringMatching(/keychain.*auth\.json/i)]);
    expect(saved?.ms).toBeLessThan(1500); // the guard is 1 s; the rest is slack for a busy machine
    expect(loaded).toMatchObject({ ok: true, result: { token, store: "file" } });
  });

  it.each([
    ["no D-Bus session at all", {}],
    ["a bus address that leads nowhere", { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" }],
  ])("%s: falls back to auth.json in under a second", async (_label, busEnv) => {
    const token = mintToken("pat");
    const { stdout } = await run(process.execPath, [probe, "save", configDir, API_URL, token], {
      env: { PATH: process.env.PATH ?? "", HOME: work, ...busEnv },
      timeout: 10_000,
    });
    const [saved] = outcomes(stdout);
    expect(saved).toMatchObject({ ok: true, result: { store: "file" } });
    expect(saved?.ms).toBeLessThan(1500); // the guard is 1 s; the rest is slack for a busy machine
    const file = JSON.parse(await readFile(join(configDir, "auth.json"), "utf8"));
    expect(file.servers[API_URL]).toMatchObject({ token_store: "file", token });
  });
});
