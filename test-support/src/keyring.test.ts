import { execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Keyring, parseSearch, startKeyring } from "./keyring.js";

const run = promisify(execFile);

/** Alive and not a zombie: this machine's init does not reap orphans, so a dead orphan still answers kill(pid, 0). */
const isRunning = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\S+ \(.*\) [ZX]/s.test(stat);
  } catch {
    return false;
  }
};

describe("a private keyring (dbus-daemon + gnome-keyring)", () => {
  let keyring: Keyring;
  beforeAll(async () => {
    keyring = await startKeyring();
  });
  afterAll(() => keyring.stop());

  const secretTool = (args: string[], stdin?: string) =>
    new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(
        "secret-tool",
        args,
        { env: { ...process.env, ...keyring.env }, timeout: 10_000 },
        (error, stdout) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout }),
      );
      child.stdin?.end(stdin ?? "");
    });
  const store = (account: string, secret: string) =>
    secretTool(["store", "--label=test", "service", "claudemesh", "account", account], secret);
  const lookup = (account: string) => secretTool(["lookup", "service", "claudemesh", "account", account]);

  it("keeps what secret-tool stores, and lists it as entries", async () => {
    expect(await store("http://127.0.0.1:1", "first-secret")).toMatchObject({ code: 0 });
    expect(await lookup("http://127.0.0.1:1")).toEqual({ code: 0, stdout: "first-secret" });
    expect(await keyring.entries()).toContainEqual({ account: "http://127.0.0.1:1", secret: "first-secret" });
  });

  it("locked: lookups find nothing and stores are refused; unlocked again, the secret is back", async () => {
    await store("http://127.0.0.1:2", "second-secret");
    await keyring.lock();
    expect(await lookup("http://127.0.0.1:2")).toEqual({ code: 1, stdout: "" });
    expect((await store("http://127.0.0.1:3", "refused")).code).not.toBe(0);
    expect(await keyring.entries()).toContainEqual({ account: "http://127.0.0.1:2", secret: null });
    await keyring.unlock();
    expect(await lookup("http://127.0.0.1:2")).toEqual({ code: 0, stdout: "second-secret" });
  });

  it("hung: a call is not answered until the service resumes", async () => {
    keyring.hang();
    const pending = lookup("http://127.0.0.1:1");
    const early = await Promise.race([pending.then(() => "answered"), busRoundTrip(keyring).then(() => "bus alive")]);
    expect(early).toBe("bus alive");
    keyring.resume();
    expect(await pending).toEqual({ code: 0, stdout: "first-secret" });
  });
});

describe("the keyring's lifetime", () => {
  it("without its service the bus answers at once that nobody provides secrets", async () => {
    const keyring = await startKeyring();
    try {
      await keyring.stopService();
      expect(isRunning(keyring.pids.service)).toBe(false);
      const failed = await run("secret-tool", ["lookup", "service", "claudemesh", "account", "x"], {
        env: { ...process.env, ...keyring.env },
      }).catch((error: { stderr: string }) => error.stderr);
      expect(failed).toMatch(/org\.freedesktop\.secrets was not provided by any \.service files/);
    } finally {
      await keyring.stop();
    }
  });

  it("stop() leaves no process running", async () => {
    const keyring = await startKeyring();
    const { bus, service } = keyring.pids;
    expect([isRunning(bus), isRunning(service)]).toEqual([true, true]);
    await keyring.stop();
    expect([isRunning(bus), isRunning(service)]).toEqual([false, false]);
  });

  it("a process that dies outright takes its keyring with it (the watchdog)", async () => {
    // keyring.ts imports only Node's built-ins: transpiled alone, it runs in a plain node process.
    const scratch = await mkdtemp(join(tmpdir(), "claudemesh-keyring-owner-"));
    const source = await readFile(new URL("./keyring.ts", import.meta.url), "utf8");
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    await writeFile(join(scratch, "keyring.mjs"), outputText);
    const owner = [
      'import { startKeyring } from "./keyring.mjs";',
      "const keyring = await startKeyring();",
      "console.log(JSON.stringify(keyring.pids));",
      "setInterval(() => {}, 1000);",
    ].join("\n");
    await writeFile(join(scratch, "owner.mjs"), owner);
    const child = spawn(process.execPath, [join(scratch, "owner.mjs")], { stdio: ["ignore", "pipe", "inherit"] });
    const pids = await new Promise<{ bus: number; service: number }>((resolve) => {
      child.stdout.setEncoding("utf8").once("data", (line: string) => resolve(JSON.parse(line)));
    });
    expect([isRunning(pids.bus), isRunning(pids.service)]).toEqual([true, true]);
    child.kill("SIGKILL");
    await expect
      .poll(() => [isRunning(pids.bus), isRunning(pids.service)], { timeout: 10_000 })
      .toEqual([false, false]);
    await rm(scratch, { recursive: true, force: true });
  });
});

describe("parseSearch", () => {
  it("reads accounts and secrets, and a locked item's missing secret", () => {
    const output = [
      "[/1]",
      "label = a",
      "secret = s1",
      "attribute.account = http://a:1",
      "attribute.service = claudemesh",
      "[/2]",
      "label = b",
      "attribute.account = http://b:2",
      "attribute.service = claudemesh",
    ].join("\n");
    expect(parseSearch(output)).toEqual([
      { account: "http://a:1", secret: "s1" },
      { account: "http://b:2", secret: null },
    ]);
  });
});

/** Something the bus itself answers, not the service: shows the bus is alive while the service hangs. */
async function busRoundTrip(keyring: Keyring): Promise<void> {
  await run(
    "gdbus",
    [
      "call",
      "--session",
      "--dest",
      "org.freedesktop.DBus",
      "--object-path",
      "/org/freedesktop/DBus",
      "--method",
      "org.freedesktop.DBus.ListNames",
    ],
    {
      env: { ...process.env, ...keyring.env },
    },
  );
}
