// The OS keychain module a platform package ships: @github/keytar's prebuilt
// N-API binary for that platform, taken from the installed package (the version
// the SDK depends on), never downloaded. N-API, so one binary serves Node and the
// editor's Electron alike. The bundle loads it lazily (src/native-keychain.ts).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const EXTENSION = fileURLToPath(new URL(".", import.meta.url));

/** Where a package keeps the module, from the extension's root (src/native-keychain.ts reads the same path). */
export const KEYCHAIN_MODULE = join("dist", "native", "keytar.node");

/** The platform packages built: vsce's target names, which are also keytar's prebuild folders. */
export const TARGETS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64"];

/** This machine as a target name (`linux-x64`, `darwin-arm64`, …). */
export function hostTarget() {
  return `${process.platform}-${process.arch}`;
}

/** The installed @github/keytar, resolved from the SDK so the binary is the one the SDK's keytar code expects. */
export function keytarPackageDir() {
  const fromSdk = createRequire(join(EXTENSION, "node_modules", "@claudemesh", "sdk", "package.json"));
  return dirname(fromSdk.resolve("@github/keytar/package.json"));
}

const FORMAT = { linux: "ELF", darwin: "Mach-O", win32: "PE" };
const ELF_MACHINES = { 3: "ia32", 40: "arm", 62: "x64", 183: "arm64" };
const MACH_O_CPUS = { 16777223: "x64", 16777228: "arm64" };
const PE_MACHINES = { 332: "ia32", 34404: "x64", 43620: "arm64" };

/**
 * The executable format and machine a native binary is built for, read from its
 * header, as `ELF x64`, `Mach-O arm64`, `PE x64` (Node's arch names). Upstream
 * prebuild folders have been mislabelled (keytar 7.10.6's linuxmusl-arm64 holds an
 * x86-64 binary), so the name of a folder is not trusted.
 */
export function binaryArchitecture(bytes) {
  if (bytes.length >= 20 && bytes.readUInt32BE(0) === 0x7f454c46) {
    // EI_DATA (byte 5) says the byte order of e_machine (offset 18).
    const machine = bytes[5] === 2 ? bytes.readUInt16BE(18) : bytes.readUInt16LE(18);
    return `ELF ${ELF_MACHINES[machine] ?? `machine ${machine}`}`;
  }
  if (bytes.length >= 8 && bytes.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = bytes.readUInt32LE(4);
    return `Mach-O ${MACH_O_CPUS[cpu] ?? `cputype 0x${cpu.toString(16)}`}`;
  }
  if (bytes.length >= 0x40 && bytes.toString("latin1", 0, 2) === "MZ") {
    const header = bytes.readUInt32LE(0x3c);
    if (bytes.length >= header + 6 && bytes.readUInt32BE(header) === 0x50450000) {
      const machine = bytes.readUInt16LE(header + 4);
      return `PE ${PE_MACHINES[machine] ?? `machine 0x${machine.toString(16)}`}`;
    }
  }
  return "not a native binary this knows";
}

/** What a target's binary must read as: `linux-arm64` → `ELF arm64`. */
export function expectedArchitecture(target) {
  const [platform = "", arch = ""] = target.split("-");
  return `${FORMAT[platform] ?? platform} ${arch}`;
}

/**
 * Puts exactly `target`'s keychain module at dist/native/keytar.node (removing any
 * other), after checking its header matches the target. Throws, saying why, when
 * the installed package has no binary for it or the binary is for another machine.
 */
export function copyKeychainModule(target) {
  const destination = join(EXTENSION, KEYCHAIN_MODULE);
  rmSync(dirname(destination), { recursive: true, force: true });
  const source = join(keytarPackageDir(), "prebuilds", target, "keytar.node");
  let bytes;
  try {
    bytes = readFileSync(source);
  } catch (error) {
    throw new Error(`@github/keytar has no prebuilt binary for ${target} (${source}: ${error.code ?? error.message})`);
  }
  const found = binaryArchitecture(bytes);
  if (found !== expectedArchitecture(target)) {
    throw new Error(`${source} is built for ${found}, not ${expectedArchitecture(target)}`);
  }
  mkdirSync(dirname(destination), { recursive: true });
  writeFileSync(destination, bytes);
  return { source, bytes: bytes.length, architecture: found };
}

/** Removes the module: a build for a machine with no binary falls back to auth.json rather than load a wrong one. */
export function removeKeychainModule() {
  rmSync(dirname(join(EXTENSION, KEYCHAIN_MODULE)), { recursive: true, force: true });
}
