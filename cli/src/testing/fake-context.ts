import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { ClaudemeshError, type Keychain, type LocalMesh, mintToken, type User } from "@claudemesh/sdk";
import { onTestFinished } from "vitest";
import type { Clock } from "../clock.js";
import { type CliContext, type ContextParts, createContext } from "../context.js";
import type { IO } from "../io.js";
import { run } from "../program.js";
import { FakeTransport, type Stub } from "./fake-transport.js";
import { MemoryKeychain } from "./memory-keychain.js";
import { type ScriptedAnswer, ScriptedPrompts } from "./scripted-prompts.js";

export const API_URL = "https://mesh.test";
export const ADA: User = { id: "user-ada", name: "Ada Lovelace", email: "ada@example.com" };
/** The fixed "now" of every fake context: 2026-06-01. */
export const NOW = Date.parse("2026-06-01T12:00:00.000Z");

export interface RunOptions {
  /** stdin, stdout and stderr are terminals (colour stays off, so outputs compare as text). */
  tty?: boolean;
  stubs?: Stub[];
  prompts?: ScriptedAnswer[];
  /** Added to (or, with undefined, taken from) the test environment. */
  env?: Record<string, string | undefined>;
  stdin?: string;
  /** A login saved before the command runs. */
  savedLogin?: "session" | "pat";
  /** Logins saved for other servers before the command runs (their tokens in `otherTokens`). */
  otherLogins?: { apiUrl: string; kind: "session" | "pat" }[];
  /** Meshes joined on this machine (config.json) before the command runs. */
  meshes?: LocalMesh[];
  /** The mesh broker the command connects to (send, inbox; a FakeMesh); none by default. */
  mesh?: { connect: NonNullable<ContextParts["connectMesh"]> };
  /** Abort it to press Ctrl-C. */
  interrupt?: AbortController;
  /** Why no browser opens; by default one "opens" and the URL is recorded. */
  browserUnavailable?: string;
  /** False: this platform cannot rid launch of credential variables (Node 20 on macOS or Windows). */
  canForgetCredentials?: boolean;
  /** The config folder of an earlier run, to go on from what it left; by default a new temp folder. */
  configDir?: string;
  /**
   * The OS keychain: by default an empty in-memory one, as on a desktop; an earlier run's
   * `keychain` to go on from it; `noKeychain` for a machine without one (the auth.json fallback).
   */
  keychain?: Keychain | (() => Promise<Keychain>);
}

export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
  transport: FakeTransport;
  prompts: ScriptedPrompts;
  ctx: CliContext;
  configDir: string;
  /** The keychain the run used (pass it on with `configDir` to continue from this run). */
  keychain: Keychain | (() => Promise<Keychain>);
  /** The token of the saved login, when one was asked for. */
  savedToken: string | undefined;
  /** The tokens of `otherLogins`, by server. */
  otherTokens: Record<string, string>;
  /** URLs the command opened in the browser. */
  opened: string[];
  /** The waits the command asked of the clock, in milliseconds. */
  slept: number[];
}

async function newConfigDir(): Promise<string> {
  const configDir = await mkdtemp(join(tmpdir(), "claudemesh-cli-test-"));
  onTestFinished(() => rm(configDir, { recursive: true, force: true }));
  return configDir;
}

/** A Writable that keeps what was written. */
function buffer(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

/** A clock fixed at NOW that moves only when slept on, and records each wait. */
export function fixedClock(slept: number[] = []): Clock {
  let now = NOW;
  return {
    now: () => now,
    async sleep(ms, signal) {
      if (signal?.aborted) throw new ClaudemeshError("cancelled", "Cancelled.");
      slept.push(ms);
      now += ms;
    },
  };
}

/**
 * Runs one command line in-process through the real `run(argv, ctx)`, with
 * buffers for IO, a fake transport, scripted prompts, a fixed clock and a
 * temp config folder, an in-memory keychain (telemetry off unless the env turns it on).
 */
export async function runCommand(args: string[], options: RunOptions = {}): Promise<CommandResult> {
  const configDir = options.configDir ?? (await newConfigDir());
  const stdout = buffer();
  const stderr = buffer();
  const tty = options.tty ?? false;
  const io: IO = {
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    stdout: stdout.stream,
    stderr: stderr.stream,
    isTTY: tty,
    stdinIsTTY: tty,
    color: false,
  };
  const env: NodeJS.ProcessEnv = {
    CLAUDEMESH_CONFIG_DIR: configDir,
    CLAUDEMESH_API_URL: API_URL,
    DO_NOT_TRACK: "1",
  };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const transport = new FakeTransport(options.stubs);
  const prompts = new ScriptedPrompts(options.prompts);
  const slept: number[] = [];
  const keychain = options.keychain ?? new MemoryKeychain();
  const ctx = createContext(env, io, {
    loadKeychain: typeof keychain === "function" ? keychain : async () => keychain,
    fetch: transport.fetch,
    connectMesh: options.mesh?.connect ?? (() => Promise.reject(new Error("This test has no fake mesh."))),
    prompts,
    clock: fixedClock(slept),
    // A test process is never re-executed; the real one is proven on the built CLI (launch-environment.test.ts).
    forgetCredentials: (_env, variables) => variables.length === 0 || options.canForgetCredentials !== false,
    signal: (options.interrupt ?? new AbortController()).signal,
  });
  const opened: string[] = [];
  ctx.openBrowser = async (url) => {
    if (options.browserUnavailable) return options.browserUnavailable;
    opened.push(url);
    return null;
  };
  let savedToken: string | undefined;
  if (options.savedLogin) {
    savedToken = mintToken(options.savedLogin);
    await ctx.store().save({ token: savedToken, user: ADA, expiresAt: null, source: "device-code" });
  }
  const otherTokens: Record<string, string> = {};
  for (const { apiUrl, kind } of options.otherLogins ?? []) {
    otherTokens[apiUrl] = mintToken(kind);
    await ctx
      .store()
      .forServer(apiUrl)
      .save({ token: otherTokens[apiUrl], user: ADA, expiresAt: null, source: "device-code" });
  }
  if (options.meshes) {
    const meshes = options.meshes;
    await ctx.config().update((config) => ({ ...config, meshes }));
  }
  const status = await run(["node", "claudemesh", ...args], ctx);
  return {
    status,
    stdout: stdout.text(),
    stderr: stderr.text(),
    transport,
    prompts,
    ctx,
    configDir,
    keychain,
    savedToken,
    otherTokens,
    opened,
    slept,
  };
}
