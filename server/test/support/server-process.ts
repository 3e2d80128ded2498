import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The built server, as `pnpm start` and deployments run it. */
export const SERVER_BUNDLE = fileURLToPath(new URL("../../dist/main.js", import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the URL it listens on; rejects if it exits first. */
  listening: Promise<string>;
  /** Resolves with the exit code once it has exited. */
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** Starts `node server/dist/main.js` (or another build of it) with the given environment on a free port. */
export function spawnServer(env: Record<string, string>, bundle: string = SERVER_BUNDLE): ServerProcess {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`pnpm build\` first`);
  const child = spawn(process.execPath, [bundle], {
    env: { PATH: process.env.PATH ?? "", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      printed += chunk.toString();
      const url = /listening on (\S+)/.exec(printed)?.[1];
      if (url) resolve(url);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${printed}`)));
  });
  listening.catch(() => {}); // callers that expect a failed start await `exited` instead
  return {
    child,
    output: () => printed,
    listening,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
