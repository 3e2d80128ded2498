import { spawn } from "node:child_process";
import { type BrowserUrlRefusal, checkBrowserUrl } from "@claudemesh/sdk";

/** Why no browser is opened (a key of the catalogue's `browser` words), or null when one may be. */
export function browserUnavailableReason(
  env: NodeJS.ProcessEnv,
  platform = process.platform,
): "ssh" | "noDisplay" | null {
  if (env.SSH_CONNECTION || env.SSH_TTY || env.SSH_CLIENT) return "ssh";
  if (platform === "linux" && !env.DISPLAY && !env.WAYLAND_DISPLAY) return "noDisplay";
  return null;
}

/** The program that opens a page, exactly as it is started: no shell reads any of it. */
export interface OpenerCommand {
  command: string;
  args: string[];
  /** Windows only: pass the argument as written instead of quoting it again (it holds no space or quote). */
  windowsVerbatimArguments: boolean;
}

export type OpenerPlan = { kind: "open"; opener: OpenerCommand } | { kind: "refused"; reason: BrowserUrlRefusal };

/**
 * How `url` would be opened on `platform`, or why it is not: only a page of the
 * server in use (`checkBrowserUrl`), and never through a shell. Windows gets
 * `rundll32 url.dll,FileProtocolHandler` rather than `cmd /c start`, whose
 * parsing makes `|`, `&`, `<`, `>` and `%VAR%` in a URL live (as gh's browser
 * package does); macOS `open` and `xdg-open` get the checked URL as their one argument.
 */
export function planBrowserOpen(url: string, serverUrl: string, platform: NodeJS.Platform): OpenerPlan {
  const check = checkBrowserUrl(url, serverUrl);
  if (!check.ok) return { kind: "refused", reason: check.reason };
  const opener: OpenerCommand =
    platform === "win32"
      ? { command: "rundll32", args: ["url.dll,FileProtocolHandler", check.url], windowsVerbatimArguments: true }
      : { command: platform === "darwin" ? "open" : "xdg-open", args: [check.url], windowsVerbatimArguments: false };
  return { kind: "open", opener };
}

/** Starts `opener`; resolves once it started, rejects if it could not. */
export function startOpener(opener: OpenerCommand): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(opener.command, opener.args, {
      stdio: "ignore",
      detached: true,
      shell: false,
      windowsVerbatimArguments: opener.windowsVerbatimArguments,
    });
    child.once("error", reject);
    child.once("spawn", () => {
      child.unref();
      resolve();
    });
  });
}
