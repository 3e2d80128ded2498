import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ClaudemeshError, loadKeytarKeychain } from "@claudemesh/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KEYCHAIN_MODULE_PATH, nativeKeychainModule, packagedKeychain } from "./native-keychain.js";
import { outputLog } from "./output-log.js";

const EXTENSION = fileURLToPath(new URL("..", import.meta.url));
/** The installed @github/keytar's binary for this machine: what this machine's package ships. */
const prebuilt = join(
  dirname(
    createRequire(join(EXTENSION, "node_modules/@claudemesh/sdk/package.json")).resolve("@github/keytar/package.json"),
  ),
  "prebuilds",
  `${process.platform}-${process.arch}`,
  "keytar.node",
);

describe("the keychain module a platform package ships", () => {
  let installed = "";
  beforeEach(async () => {
    installed = await mkdtemp(join(tmpdir(), "claudemesh-installed-"));
  });
  afterEach(() => rm(installed, { recursive: true, force: true }));

  it("loads from dist/native next to the bundle and exports keytar's calls itself, once for every caller", async () => {
    const path = join(installed, ...KEYCHAIN_MODULE_PATH);
    await mkdir(dirname(path), { recursive: true });
    await copyFile(prebuilt, path);
    const module = nativeKeychainModule(installed);
    expect(await module.status()).toEqual({ loaded: true, path });
    const keytar = (await module.load()) as Record<string, unknown>;
    for (const call of ["getPassword", "setPassword", "deletePassword"]) expect(typeof keytar[call]).toBe("function");
    expect(await module.load()).toBe(keytar);
    // What the store gets: a keychain (whether a Secret Service answers is another matter), said once.
    const lines: string[] = [];
    const line = (text: string) => void lines.push(text);
    const keychain = packagedKeychain(module, outputLog({ info: line, warn: line, error: line }));
    await expect(keychain()).resolves.toHaveProperty("get");
    await expect(keychain()).resolves.toHaveProperty("set");
    expect(lines).toEqual([`OS keychain module loaded (${path})`]);
  });

  it("a package without it says why, and the SDK reports the keychain as unavailable (the store then uses auth.json)", async () => {
    const module = nativeKeychainModule(installed);
    expect(await module.status()).toEqual({
      loaded: false,
      path: join(installed, ...KEYCHAIN_MODULE_PATH),
      reason: `this package holds no keychain module for ${process.platform}-${process.arch}`,
    });
    const refused = await loadKeytarKeychain({ load: module.load }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ClaudemeshError);
    expect(refused).toMatchObject({ code: "keychain_unavailable" });
  });
});
