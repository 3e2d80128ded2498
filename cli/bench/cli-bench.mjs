// `pnpm bench cli`: wall time of `claudemesh --version` and `claudemesh whoami`
// (against a local server), each beside its baseline measured in the same run:
//   --version ≤ 1.3 × `node -e 0` (the entry answers it before loading anything);
//   whoami    ≤ 1.35 × ky-request.mjs, a script that only sends whoami's request
//             through ky and prints the name (the floor under any ky-based CLI).
// BENCH_NODE=/path/to/node times them all on another Node (the local server stays on this
// one), e.g. Node 24: `BENCH_NODE=$(bash scripts/node24.sh) pnpm bench cli`.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startLocalServer } from "./local-server.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const NODE = process.env.BENCH_NODE || process.execPath;
const CLI = fileURLToPath(new URL("../dist/claudemesh.js", import.meta.url));
const KY_REQUEST = fileURLToPath(new URL("./ky-request.mjs", import.meta.url));

/** Wall time of one run of `node …args`. */
function time(args, env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(NODE, args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return ms;
}

/** The median of each case, run in turns (a, b, c, a, b, c, …) so a busy spell weighs on all of them alike. */
function medians(cases) {
  const times = cases.map(() => []);
  for (let round = 0; round < RUNS + 3; round += 1) {
    cases.forEach(([args, env], index) => {
      const ms = time(args, env);
      if (round >= 3) times[index].push(ms); // the first rounds warm the disk cache
    });
  }
  return times.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]);
}

const server = await startLocalServer();
try {
  const { token } = await (await server.post("/api/my/cli/tokens", { name: "bench" })).json();
  const env = { CLAUDEMESH_API_URL: server.url, CLAUDEMESH_TOKEN: token, CLAUDEMESH_CONFIG_DIR: server.dataDir };

  const version = spawnSync(NODE, ["--version"], { encoding: "utf8" }).stdout.trim();
  const [baseline, cliVersion, floor, whoami] = medians([
    [["-e", "0"], {}],
    [[CLI, "--version"], env],
    [[KY_REQUEST], env],
    [[CLI, "whoami"], env],
  ]);
  const row = (name, ms, ratio, target) =>
    `${name.padEnd(36)}${ms.toFixed(1).padStart(7)} ms${ratio === undefined ? "" : `  ${ratio.toFixed(2)}×`}${
      target === undefined ? "" : ` (target ≤ ${target}×: ${ratio <= target ? "met" : "NOT met"})`
    }`;
  console.log(`Node ${version}, median of ${RUNS} runs each, in turns`);
  console.log(row("node -e 0", baseline));
  console.log(row("claudemesh --version / node -e 0", cliVersion, cliVersion / baseline, 1.3));
  console.log(row("ky floor: whoami's GET through ky", floor, floor / baseline));
  console.log(row("claudemesh whoami / ky floor", whoami, whoami / floor, 1.35));
} finally {
  await server.stop();
}
