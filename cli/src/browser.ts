import { spawn } from "node:child_process";

/** Why no browser is opened (a key of the catalogue's `browser` words), or null when one may be. */
export function browserUnavailableReason(
  env: NodeJS.ProcessEnv,
  platform = process.platform,
): "ssh" | "noDisplay" | null {
  if (env.SSH_CONNECTION || env.SSH_TTY || env.SSH_CLIENT) return "ssh";
  if (platform === "linux" && !env.DISPLAY && !env.WAYLAND_DISPLAY) return "noDisplay";
  return null;
}

/** Opens `url` with the platform's opener; resolves once it started, rejects if it could not. */
export function openInBrowser(url: string, platform = process.platform): Promise<void> {
  const [command, args] =
    platform === "darwin"
      ? ["open", [url]]
      : platform === "win32"
        ? ["cmd", ["/c", "start", '""', url.replace(/&/g, "^&")]]
        : ["xdg-open", [url]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "ignore", detached: true });
    child.once("error", reject);
    child.once("spawn", () => {
      child.unref();
      resolve();
    });
  });
}
