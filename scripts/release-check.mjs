#!/usr/bin/env node
// `pnpm release:check`: what a release ships, checked as a user would meet it.
// Builds everything from clean, packs the CLI, the server and the extension,
// installs the packed CLI and server into empty prefixes, starts the installed
// server (embedded PGlite, only CLAUDEMESH_DATA_DIR and PORT set), signs in with
// the installed CLI by token, checks every platform's .vsix (each holds its own
// platform's keychain binary, read from its header) and installs this machine's
// into a real VS Code (code-server), runs the quickstart and the other docs as written
// (e2e/test/docs.test.ts) on the same build, and prints the sizes. Exits 1 on
// the first failure. Not part of `pnpm test` (it installs from the npm registry);
// cli/test/packed-cli.test.ts is the offline part that is.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  binaryArchitecture,
  expectedArchitecture,
  hostTarget,
  KEYCHAIN_MODULE,
  TARGETS,
} from "../extension/keychain-module.mjs";
import { dockerContext } from "./docker-context.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const VERSION = JSON.parse(readFileSync(join(ROOT, "cli", "package.json"), "utf8")).version;
const scratch = mkdtempSync(join(tmpdir(), "claudemesh-release-"));
const started = Date.now();
let server;

function fail(message) {
  console.error(`\n✘ ${message}`);
  finish(1);
}

function finish(code) {
  if (server && server.exitCode === null) server.kill("SIGTERM");
  rmSync(scratch, { recursive: true, force: true });
  process.exit(code);
}

function step(name) {
  console.log(`\n▸ ${name} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

/** Runs a command to completion; fails the check unless it exits 0. Returns its stdout when captured. */
function run(command, args, { cwd = ROOT, env = process.env, input, capture = false } = {}) {
  const result = spawnSync(command, args, {
    cwd,
    env,
    input,
    encoding: "utf8",
    stdio: [input === undefined ? "ignore" : "pipe", capture ? "pipe" : "inherit", capture ? "pipe" : "inherit"],
  });
  if (result.status !== 0) {
    fail(
      `${command} ${args.join(" ")} exited ${result.status ?? result.signal}\n${result.stdout ?? ""}${result.stderr ?? ""}`,
    );
  }
  return result.stdout ?? "";
}

// pnpm is on PATH under `pnpm release:check`; run directly, fetch it as the README does.
const pnpmCommand = (args) =>
  process.env.npm_execpath?.includes("pnpm")
    ? [process.execPath, [process.env.npm_execpath, ...args]]
    : ["npx", ["-y", "pnpm@10", ...args]];
const pnpm = (args, options) => run(...pnpmCommand(args), options);

function size(file) {
  return formatBytes(statSync(file).size);
}

function formatBytes(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** Installs a packed tarball into an empty prefix, as `npm i -g` would for a user. */
function installInto(tarball, name) {
  const prefix = join(scratch, name);
  // keytar (the CLI's optional keychain) may not build here; npm skips an optional dependency that fails.
  run("npm", ["install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", tarball], {
    env: { ...process.env, npm_config_nodedir: process.env.npm_config_nodedir ?? "/usr" },
  });
  return prefix;
}

step("build from clean");
for (const pkg of ["sdk", "cli", "server", "extension"])
  rmSync(join(ROOT, pkg, "dist"), { recursive: true, force: true });
pnpm(["build"]);

step("pack");
const packs = join(scratch, "packs");
// pnpm pack, as pnpm publish would: it writes real versions for workspace: and catalog: ranges.
for (const pkg of ["cli", "server"]) pnpm(["pack", "--pack-destination", packs], { cwd: join(ROOT, pkg) });
const cliTarball = join(packs, `claudemesh-cli-${VERSION}.tgz`);
const serverTarball = join(packs, `claudemesh-server-${VERSION}.tgz`);
console.log(readdirSync(packs).join("\n"));
// One package per platform; the script goes on past a target it cannot build and lists them all.
const packaging = spawnSync(...pnpmCommand(["--filter", "claudemesh", "package"]), { cwd: ROOT, stdio: "inherit" });
let packages = [];
try {
  packages = JSON.parse(readFileSync(join(ROOT, "extension", "dist", "packages.json"), "utf8"));
} catch (error) {
  fail(`packaging the extension (exit ${packaging.status}) wrote no dist/packages.json: ${error.message}`);
}

step("check each platform's .vsix");
const problems = [];
const vsixFor = {};
for (const target of TARGETS) {
  const built = packages.find((entry) => entry.target === target);
  if (!built || built.error) {
    problems.push(`${target}: not built: ${built?.error ?? "not attempted"}`);
    continue;
  }
  const { vsix } = built;
  const listing = run("unzip", ["-Z1", vsix], { capture: true }).split("\n");
  const missing = [
    "extension/package.json",
    "extension/dist/extension.js",
    "extension/media/icon.png",
    "extension/changelog.md",
  ].filter((entry) => !listing.includes(entry));
  if (missing.length) problems.push(`${target}: ${vsix} has no ${missing.join(", ")}`);
  const vsixManifest = JSON.parse(run("unzip", ["-p", vsix, "extension/package.json"], { capture: true }));
  if (vsixManifest.version !== VERSION)
    problems.push(`${target}: version ${vsixManifest.version}, expected ${VERSION}`);
  const platform = /TargetPlatform="([^"]*)"/.exec(
    run("unzip", ["-p", vsix, "extension.vsixmanifest"], { capture: true }),
  );
  if (platform?.[1] !== target) problems.push(`${target}: the manifest says TargetPlatform ${platform?.[1] ?? "none"}`);
  // Exactly one native binary, its own: read from its header, not from where it came from.
  const binaries = listing.filter((entry) => entry.endsWith(".node"));
  const expectedEntry = `extension/${KEYCHAIN_MODULE.split("\\").join("/")}`;
  if (binaries.length !== 1 || binaries[0] !== expectedEntry) {
    problems.push(`${target}: native binaries ${JSON.stringify(binaries)}, expected only ${expectedEntry}`);
  } else {
    const bytes = spawnSync("unzip", ["-p", vsix, expectedEntry], { maxBuffer: 64 * 1024 * 1024 }).stdout;
    const found = binaryArchitecture(bytes);
    if (found !== expectedArchitecture(target)) {
      problems.push(`${target}: the keychain binary is built for ${found}, not ${expectedArchitecture(target)}`);
    }
    console.log(
      `${target.padEnd(13)} ${size(vsix).padStart(9)}  keychain module ${found} (${formatBytes(bytes.length)})`,
    );
  }
  vsixFor[target] = vsix;
}
if (problems.length) fail(`the extension's platform packages:\n${problems.join("\n")}`);
const vsix = vsixFor[hostTarget()];
if (!vsix) fail(`no package for this machine (${hostTarget()}) to install into code-server`);

step("install the packed CLI and server into empty prefixes");
const cliPrefix = installInto(cliTarball, "cli-prefix");
const serverPrefix = installInto(serverTarball, "server-prefix");
const claudemesh = join(cliPrefix, "bin", "claudemesh");
const claudemeshServer = join(serverPrefix, "bin", "claudemesh-server");

step("start the installed server on embedded PGlite");
const dataDir = join(scratch, "data");
server = spawn(claudemeshServer, [], {
  env: { PATH: process.env.PATH ?? "", CLAUDEMESH_DATA_DIR: dataDir, PORT: "0" },
  stdio: ["ignore", "pipe", "pipe"],
});
const url = await new Promise((resolve) => {
  let output = "";
  const onData = (chunk) => {
    output += chunk;
    const found = /listening on (\S+)/.exec(output)?.[1];
    if (found) resolve(found);
  };
  server.stdout.on("data", onData);
  server.stderr.on("data", onData);
  server.once("exit", (code) => fail(`claudemesh-server exited ${code} before listening:\n${output}`));
});
const health = await fetch(new URL("/healthz", url));
if (!health.ok) fail(`GET /healthz answered ${health.status}`);
console.log(`${url} — /healthz ${health.status} ${await health.text()}`);

step("token login with the installed CLI");
const post = (path, body, cookie) =>
  fetch(new URL(path, url), {
    method: "POST",
    headers: { "content-type": "application/json", origin: new URL(url).origin, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
const email = `release-${Date.now()}@example.test`;
const signUp = await post("/api/auth/sign-up/email", {
  name: "Release Check",
  email,
  password: "correct horse battery",
});
if (!signUp.ok) fail(`sign-up: ${signUp.status} ${await signUp.text()}`);
const cookie = signUp.headers
  .getSetCookie()
  .map((line) => line.split(";")[0])
  .join("; ");
const created = await post("/api/my/cli/tokens", { name: "release-check" }, cookie);
if (!created.ok) fail(`create token: ${created.status} ${await created.text()}`);
const { token } = await created.json();

// A clean environment: no D-Bus, so the keychain (if keytar built) is refused and auth.json is used.
const cliEnv = {
  PATH: process.env.PATH ?? "",
  HOME: join(scratch, "home"),
  CLAUDEMESH_API_URL: url,
  CLAUDEMESH_CONFIG_DIR: join(scratch, "config"),
  DO_NOT_TRACK: "1",
};
const printed = run(claudemesh, ["--version"], { env: cliEnv, capture: true }).trim();
if (printed !== VERSION) fail(`claudemesh --version printed ${printed}, expected ${VERSION}`);
const help = run(claudemesh, ["--help"], { env: cliEnv, capture: true });
if (!help.startsWith("Usage: claudemesh")) fail(`claudemesh --help printed:\n${help}`);
run(claudemesh, ["login", "--with-token"], { env: cliEnv, input: `${token}\n`, capture: true });
const whoami = JSON.parse(run(claudemesh, ["whoami", "--json"], { env: cliEnv, capture: true }));
if (whoami.user?.email !== email) fail(`whoami --json: ${JSON.stringify(whoami)}`);
const mesh = JSON.parse(run(claudemesh, ["create", "Release check", "--json"], { env: cliEnv, capture: true }));
console.log(
  `claudemesh ${printed}: signed in as ${whoami.user.email} (${whoami.credential.kind}, token in ${whoami.credential.source}); created mesh ${mesh.slug ?? JSON.stringify(mesh)}`,
);

step(`install the ${hostTarget()} .vsix into a real VS Code (code-server)`);
// The same code-server the in-editor tests use (cached; compiled once, ~3 min the first time).
const launcher = run("bash", [join(ROOT, "test-support", "src", "setup-code-server.sh")], { capture: true })
  .trim()
  .split("\n")
  .at(-1);
const extensionsDir = join(scratch, "vscode-extensions");
const userDataDir = join(scratch, "vscode-user-data");
const codeServer = (args) =>
  run(launcher, ["--extensions-dir", extensionsDir, "--user-data-dir", userDataDir, ...args], { capture: true });
codeServer(["--install-extension", vsix]);
const installed = codeServer(["--list-extensions", "--show-versions"]);
if (!installed.includes(`claudemesh.claudemesh@${VERSION}`)) {
  fail(`code-server does not list claudemesh ${VERSION}:\n${installed}`);
}
console.log(installed.trim());

step("run the docs (quickstart, README tour, cli/README) against this build");
// e2e/test/docs.test.ts executes every command the docs show, on the bundles packed above.
pnpm(["exec", "vitest", "run", "--project", "e2e", "test/docs.test.ts"]);

step("sizes");
const context = dockerContext(ROOT);
console.log(`CLI tarball     ${size(cliTarball)}  (claudemesh-cli-${VERSION}.tgz)`);
console.log(`server tarball  ${size(serverTarball)}  (claudemesh-server-${VERSION}.tgz)`);
for (const [target, file] of Object.entries(vsixFor)) {
  console.log(`extension       ${size(file)}  (claudemesh-${target}.vsix)`);
}
console.log(
  `Docker context  ${(context.bytes / 1024 / 1024).toFixed(2)} MB in ${context.files.length} files (git ls-files minus .dockerignore; the image is not built here)`,
);
console.log(`\n✔ release check passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
finish(0);
