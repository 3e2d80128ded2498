import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { suiteKeyringEnv } from "@claudemesh/test-support/suite-keyring";
import { CLI_BUNDLE } from "@claudemesh/test-support/workspace";
import { type DocStep, outputLinePattern, placeholders } from "./doc-steps.js";

/** Claude Code from npm (@anthropic-ai/claude-code): its wrapper runs the platform binary its optional package brings. */
const CLAUDE_CODE_WRAPPER = createRequire(import.meta.url).resolve("@anthropic-ai/claude-code/cli-wrapper.cjs");

/** How the docs write things that differ on the test's machine. */
export const DOC_SERVER_URL = "http://localhost:3000";
export const DOC_HOME = "/home/ada";
export const DOC_HOSTNAME = "ada-laptop";

export interface DocSessionOptions {
  serverUrl: string;
  /** Put the built CLI on PATH as `claudemesh` (the quickstart installs it itself). */
  cliOnPath: boolean;
  /** Where commands run; a fresh temp dir when absent. */
  cwd?: string;
  /**
   * A code-server launcher (setUpCodeServer()) to answer as VS Code's `code` command: it takes
   * the same `--install-extension`, and installs into this reader's HOME.
   */
  codeServer?: string;
  /** Commands the test stands in for (`npx -y pnpm@10 start`: the server it started); each returns the output. */
  standIns?: Record<string, () => Promise<string> | string>;
}

export interface DocSession {
  home: string;
  /** Everything each command printed, normalized as the docs write it. */
  transcript: { command: string; output: string; exitCode: number }[];
  /** The URLs the fake browser was asked to open. */
  opened(): Promise<string[]>;
  /** What the fake `claude` saw, one line per launch. */
  launches(): Promise<string[]>;
  run(steps: DocStep[]): Promise<void>;
  dispose(): Promise<void>;
}

const PASSWORD = "correct horse battery";

/**
 * A reader's machine for the docs: a temp HOME, `claudemesh` built from this
 * repo, a fake browser (`xdg-open`) and a fake Claude Code (`claude`) on PATH,
 * and when asked a real VS Code's `code` (code-server).
 * The test plays the person at the browser: it signs up where the docs say so,
 * and approves every device code a command prints, as the last person signed up.
 */
export async function startDocSession(options: DocSessionOptions): Promise<DocSession> {
  const root = await mkdtemp(join(tmpdir(), "claudemesh-docs-"));
  const home = join(root, "home");
  const fakes = join(root, "fakes");
  const work = options.cwd ?? join(root, "work");
  const state = join(root, "shell-state");
  await mkdir(home, { recursive: true });
  await mkdir(fakes, { recursive: true });
  await mkdir(work, { recursive: true });
  const script = async (name: string, body: string) => {
    await writeFile(join(fakes, name), `#!/bin/sh\n${body}\n`);
    await chmod(join(fakes, name), 0o755);
  };
  await script("xdg-open", `echo "$1" >> "${join(root, "opened.log")}"`);
  // `claude mcp …` is the real Claude Code from npm, so the docs' MCP example is checked against
  // it; anything else (a launch) stays the recording fake: nothing here may reach Anthropic.
  await script(
    "claude",
    `if [ "$1" = mcp ]; then DISABLE_AUTOUPDATER=1 exec "${process.execPath}" "${CLAUDE_CODE_WRAPPER}" "$@"; fi\necho "claude $* mesh=$CLAUDEMESH_MESH_SLUG id=$CLAUDEMESH_MESH_ID name=$CLAUDEMESH_MESH_NAME peer=$CLAUDEMESH_PEER_NAME role=$CLAUDEMESH_PEER_ROLE api=$CLAUDEMESH_API_URL token=\${CLAUDEMESH_TOKEN:-none}" >> "${join(root, "launches.log")}"`,
  );
  if (options.codeServer) await script("code", `exec "${options.codeServer}" "$@"`);
  if (options.cliOnPath) await script("claudemesh", `exec "${process.execPath}" "${CLI_BUNDLE}" "$@"`);
  const nodeDir = join(process.execPath, "..");
  await writeFile(
    state,
    Object.entries({
      HOME: home,
      PATH: [fakes, join(home, ".local", "bin"), nodeDir, "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
      DISPLAY: ":0",
      // A reader on a desktop: their session's keychain (the run's keyring) keeps the token.
      ...suiteKeyringEnv(),
      DO_NOT_TRACK: "1",
      LANG: "C.UTF-8",
    })
      .map(([name, value]) => `export ${name}=${JSON.stringify(value)}\n`)
      .join(""),
  );

  const cookies: string[] = [];
  const captured = new Map<string, string>();
  const approved = new Set<string>();
  const transcript: DocSession["transcript"] = [];
  const origin = new URL(options.serverUrl).origin;
  const post = (path: string, body: unknown, cookie?: string) =>
    fetch(new URL(path, options.serverUrl), {
      method: "POST",
      headers: { "content-type": "application/json", origin, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });

  const normalize = (text: string) => {
    let result = text.replaceAll(options.serverUrl, DOC_SERVER_URL).replaceAll(home, DOC_HOME);
    const host = hostname();
    if (host.length > 1)
      result = result.replace(new RegExp(`\\b${host.replace(/[.-]/g, "\\$&")}\\b`, "g"), DOC_HOSTNAME);
    return result;
  };

  const approve = async (code: string) => {
    approved.add(code);
    const cookie = cookies.at(-1);
    if (!cookie) throw new Error(`device code ${code} printed before anyone signed up in the browser`);
    const response = await post(`/api/auth/cli/device-code/${code}/approve`, {}, cookie);
    if (!response.ok) throw new Error(`approving ${code}: ${response.status} ${await response.text()}`);
  };

  const shell = (command: string) =>
    new Promise<{ output: string; exitCode: number }>((resolve, reject) => {
      // Exported variables and the working directory carry over from one command to the next, as in one terminal.
      const program = `exec 2>&1\n. "${state}"\ncd "$__DOC_CWD"\n${command}\n__status=$?\nexport __DOC_CWD="$PWD"\nexport -p > "${state}"\nexit $__status\n`;
      const child = spawn("bash", ["--noprofile", "--norc", "-c", program], {
        cwd: work,
        env: { __DOC_CWD: work },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      const approvals: Promise<void>[] = [];
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        for (const match of output.matchAll(/\/cli-auth\?code=([A-Z]{4}-[A-Z]{4})/g)) {
          const code = match[1] ?? "";
          if (!approved.has(code)) approvals.push(approve(code));
        }
      });
      child.stderr.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      // A hang guard, not a time limit: installing into code-server starts a Node 24 and VS Code's CLI.
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      child.once("error", reject);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        Promise.all(approvals)
          .then(() => resolve({ output, exitCode: code ?? (signal ? 128 : 1) }))
          .catch(reject);
      });
    });

  const substitute = (text: string, line: number) => {
    let result = text.replaceAll(DOC_SERVER_URL, options.serverUrl);
    for (const name of placeholders(text)) {
      const value = captured.get(name);
      if (value === undefined)
        throw new Error(`line ${line}: \`${text}\` uses <${name}>, which no earlier output showed`);
      result = result.replaceAll(`<${name}>`, value);
    }
    return result;
  };

  /** Every shown line must appear, in order; placeholders capture their values. */
  const checkOutput = (step: Extract<DocStep, { kind: "command" }>, output: string) => {
    const actual = output.split("\n").map((text) => text.trim());
    let from = 0;
    for (const expected of step.output) {
      if (expected.trim() === "") continue;
      const { pattern, names } = outputLinePattern(expected);
      const found = actual.findIndex((text, index) => index >= from && pattern.test(text));
      if (found === -1) {
        throw new Error(
          `line ${step.line}: \`${step.command}\` no longer prints\n  ${expected.trim()}\nIt printed:\n${output}`,
        );
      }
      const values = pattern.exec(actual[found] ?? "") ?? [];
      names.forEach((name, index) => {
        captured.set(name, values[index + 1] ?? "");
      });
      from = found + 1;
    }
  };

  return {
    home,
    transcript,
    opened: () =>
      readFile(join(root, "opened.log"), "utf8").then(
        (text) => text.trim().split("\n"),
        () => [],
      ),
    launches: () =>
      readFile(join(root, "launches.log"), "utf8").then(
        (text) => text.trim().split("\n"),
        () => [],
      ),
    async run(steps) {
      for (const step of steps) {
        if (step.kind === "sign-up") {
          const response = await post("/api/auth/sign-up/email", {
            name: step.name,
            email: step.email,
            password: PASSWORD,
          });
          if (!response.ok) throw new Error(`line ${step.line}: sign-up: ${response.status} ${await response.text()}`);
          // Sign-up signs nobody in: sign in as a person would.
          const signedIn = await post("/api/auth/sign-in/email", { email: step.email, password: PASSWORD });
          if (!signedIn.ok) throw new Error(`line ${step.line}: sign-in: ${signedIn.status} ${await signedIn.text()}`);
          cookies.push(
            signedIn.headers
              .getSetCookie()
              .map((cookie) => cookie.split(";")[0])
              .join("; "),
          );
          continue;
        }
        if (step.kind === "create-token") {
          const created = await post("/api/my/cli/tokens", { name: step.name }, cookies.at(-1));
          if (!created.ok)
            throw new Error(`line ${step.line}: create-token: ${created.status} ${await created.text()}`);
          const { token } = (await created.json()) as { token: string };
          // Saved where the reader's terminal is, as they would paste it.
          const saved = await shell(`printf '%s\\n' '${token}' > '${step.file}'`);
          if (saved.exitCode !== 0) throw new Error(`line ${step.line}: saving the token: ${saved.output}`);
          continue;
        }
        const standIn = options.standIns?.[step.command];
        const result = standIn
          ? { output: await standIn(), exitCode: 0 }
          : await shell(substitute(step.command, step.line));
        const output = normalize(result.output);
        transcript.push({ command: step.command, output, exitCode: result.exitCode });
        if (result.exitCode !== 0) {
          throw new Error(`line ${step.line}: \`${step.command}\` exited ${result.exitCode}:\n${output}`);
        }
        checkOutput(step, output);
      }
    },
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}
