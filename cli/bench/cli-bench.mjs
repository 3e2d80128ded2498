// `pnpm bench cli`: wall time of `claudemesh --version` and `claudemesh whoami`
// (against a local server) beside `node -e 0`, measured here in one run.
// Targets (issue 6): --version ≤ 1.3 × node -e 0, whoami ≤ 2.5 ×.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const CLI = fileURLToPath(new URL("../dist/claudemesh.js", import.meta.url));
const SERVER = fileURLToPath(new URL("../../server/dist/main.js", import.meta.url));

function median(command, args, env) {
  const times = [];
  for (let i = 0; i < RUNS + 3; i += 1) {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, {
      env: { PATH: process.env.PATH, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    if (i >= 3) times.push(ms); // the first runs warm the disk cache
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const dataDir = mkdtempSync(join(tmpdir(), "claudemesh-bench-"));
const server = spawn(process.execPath, [SERVER], {
  env: { PATH: process.env.PATH, PORT: "0", CLAUDEMESH_DATA_DIR: dataDir, BETTER_AUTH_SECRET: "b".repeat(40) },
  stdio: ["ignore", "pipe", "pipe"],
});
try {
  const url = await new Promise((resolve, reject) => {
    let output = "";
    server.stdout.on("data", (chunk) => {
      output += chunk;
      const found = /listening on (\S+)/.exec(output)?.[1];
      if (found) resolve(found);
    });
    server.once("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
  const origin = new URL(url).origin;
  const signUp = await fetch(`${url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ name: "Bench", email: "bench@example.test", password: "bench password" }),
  });
  const cookie = signUp.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  const { token } = await (
    await fetch(`${url}/api/my/cli/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", origin, cookie },
      body: JSON.stringify({ name: "bench" }),
    })
  ).json();
  const env = { CLAUDEMESH_API_URL: url, CLAUDEMESH_TOKEN: token, CLAUDEMESH_CONFIG_DIR: dataDir };

  const baseline = median(process.execPath, ["-e", "0"], {});
  const version = median(process.execPath, [CLI, "--version"], env);
  const whoami = median(process.execPath, [CLI, "whoami"], env);
  const verdict = (ok) => (ok ? "met" : "NOT met");
  console.log(`median of ${RUNS} runs each`);
  console.log(`node -e 0               ${baseline.toFixed(1)} ms`);
  console.log(
    `claudemesh --version    ${version.toFixed(1)} ms  ${(version / baseline).toFixed(2)}× (target ≤ 1.3×: ${verdict(version / baseline <= 1.3)})`,
  );
  console.log(
    `claudemesh whoami       ${whoami.toFixed(1)} ms  ${(whoami / baseline).toFixed(2)}× (target ≤ 2.5×: ${verdict(whoami / baseline <= 2.5)})`,
  );
} finally {
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
