// `pnpm bench cli`: wall time of `claudemesh --version` and `claudemesh whoami`
// (against a local server) beside `node -e 0`, measured here in one run.
// Targets (issue 6): --version ≤ 1.3 × node -e 0, whoami ≤ 2.5 ×. Also timed: a
// script that only sends whoami's request (bare-request.mjs), the floor under any CLI.
// BENCH_NODE=/path/to/node times them all on another Node (the local server stays on this one).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startLocalServer } from "./local-server.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const NODE = process.env.BENCH_NODE || process.execPath;
const CLI = fileURLToPath(new URL("../dist/claudemesh.js", import.meta.url));
const BARE_REQUEST = fileURLToPath(new URL("./bare-request.mjs", import.meta.url));

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

const server = await startLocalServer();
try {
  const { token } = await (await server.post("/api/my/cli/tokens", { name: "bench" })).json();
  const env = { CLAUDEMESH_API_URL: server.url, CLAUDEMESH_TOKEN: token, CLAUDEMESH_CONFIG_DIR: server.dataDir };

  const baseline = median(NODE, ["-e", "0"], {});
  const version = median(NODE, [CLI, "--version"], env);
  const whoami = median(NODE, [CLI, "whoami"], env);
  const bareRequest = median(NODE, [BARE_REQUEST], env);
  const verdict = (ok) => (ok ? "met" : "NOT met");
  console.log(`median of ${RUNS} runs each, on Node ${spawnSync(NODE, ["-v"], { encoding: "utf8" }).stdout.trim()}`);
  console.log(`node -e 0               ${baseline.toFixed(1)} ms`);
  console.log(
    `claudemesh --version    ${version.toFixed(1)} ms  ${(version / baseline).toFixed(2)}× (target ≤ 1.3×: ${verdict(version / baseline <= 1.3)})`,
  );
  console.log(
    `claudemesh whoami       ${whoami.toFixed(1)} ms  ${(whoami / baseline).toFixed(2)}× (target ≤ 2.5×: ${verdict(whoami / baseline <= 2.5)})`,
  );
  console.log(
    `the floor: one node:http GET of whoami, nothing else  ${bareRequest.toFixed(1)} ms  ${(bareRequest / baseline).toFixed(2)}×`,
  );
} finally {
  await server.stop();
}
