// The built server on embedded PGlite in a temp dir, for the CLI's benchmarks,
// with one signed-up account (its browser cookie) ready to approve logins.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SERVER = fileURLToPath(new URL("../../server/dist/main.js", import.meta.url));

export async function startLocalServer() {
  const dataDir = mkdtempSync(join(tmpdir(), "claudemesh-bench-"));
  const server = spawn(process.execPath, [SERVER], {
    env: { PATH: process.env.PATH, PORT: "0", CLAUDEMESH_DATA_DIR: dataDir, BETTER_AUTH_SECRET: "b".repeat(40) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise((resolve, reject) => {
    let output = "";
    server.stdout.on("data", (chunk) => {
      output += chunk;
      const found = /listening on (\S+)/.exec(output)?.[1];
      if (found) resolve(found);
    });
    server.once("exit", (code) => reject(new Error(`server exited ${code}:\n${output}`)));
  });
  const origin = new URL(url).origin;
  const signUp = await fetch(`${url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ name: "Bench", email: "bench@example.test", password: "bench password" }),
  });
  if (!signUp.ok) throw new Error(`sign-up: ${signUp.status} ${await signUp.text()}`);
  const cookie = signUp.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  return {
    url,
    origin,
    cookie,
    dataDir,
    /** POST as the signed-in browser would. */
    post: (path, body) =>
      fetch(`${url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin, cookie },
        body: JSON.stringify(body),
      }),
    async stop() {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
