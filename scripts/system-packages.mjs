#!/usr/bin/env node
// The Debian packages the test suite needs, each with a check that it is there.
// Installs what is missing when run as root with apt-get; otherwise says what to install.
// Used by `pnpm test` and by .ci/run, so the list lives only here.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

const hasPostgres = () =>
  existsSync("/usr/lib/postgresql") &&
  readdirSync("/usr/lib/postgresql").some((version) => existsSync(`/usr/lib/postgresql/${version}/bin/initdb`));

const onPath = (command) => {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
const hasPkgConfigModule = (name) => {
  try {
    execFileSync("pkg-config", ["--exists", name], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

const hasSharedLibrary = (name) => {
  try {
    return execFileSync("/sbin/ldconfig", ["-p"], { encoding: "utf8" }).includes(name);
  } catch {
    return false;
  }
};

/** `apt` package → is it usable here? */
export const SYSTEM_PACKAGES = [
  // A throwaway real Postgres for the server's integration tests.
  { apt: "postgresql", present: hasPostgres },
  // code-server's native modules compile with node-gyp (see setup-code-server.sh).
  { apt: "build-essential", present: () => onPath("g++") && onPath("make") },
  { apt: "python3", present: () => onPath("python3") },
  { apt: "pkg-config", present: () => onPath("pkg-config") },
  // The keychain module's prebuilt Linux binary (@github/keytar) links libsecret at run time.
  { apt: "libsecret-1-0", present: () => hasSharedLibrary("libsecret-1.so.0") },
  // A real Secret Service for the keychain tests: gnome-keyring on a private D-Bus session.
  { apt: "gnome-keyring", present: () => onPath("gnome-keyring-daemon") },
  { apt: "dbus", present: () => onPath("dbus-run-session") },
  { apt: "libsecret-tools", present: () => onPath("secret-tool") },
  // gdbus: the test keyring locks and unlocks the collection over D-Bus (test-support/src/keyring.ts).
  { apt: "libglib2.0-bin", present: () => onPath("gdbus") },
  // Real Chromium for the web end-to-end tests (playwright-core drives it; nothing is downloaded).
  { apt: "chromium", present: () => onPath("chromium") },
  // code-server (the real VS Code extension host for the extension's tests) compiles against Kerberos.
  { apt: "libkrb5-dev", present: () => hasPkgConfigModule("krb5-gssapi") },
];

export function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter((pkg) => !pkg.present()).map((pkg) => pkg.apt);
  if (missing.length === 0) return;
  const command = `apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) {
    throw new Error(
      `The tests need Debian packages that are missing: ${missing.join(", ")}.\nInstall them with: sudo ${command}`,
    );
  }
  console.log(`▸ installing ${missing.join(", ")} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("sh", ["-c", command], { stdio: "inherit", env });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    ensureSystemPackages();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
