// `pnpm bench server`: authenticated GET /api/my/whoami with 50, 1 000 and
// 100 000 distinct tokens in use (50 connections taking the tokens in turn, so
// the requests in flight carry different tokens), each measured in interleaved
// rounds beside a bare Hono hello-world, beside a naive one-read floor (Hono +
// postgres.js, one prepared indexed read per request, one-read-floor.mjs) on the
// same database and tokens, and beside release 0.11.0 (commit 862f38b, built once
// into a cache folder) with the same tokens in its own database; then stock
// Better Auth's apiKey-plugin verify route, the long-poll wake-up across two
// instances, and the server's idle memory on Postgres and on embedded PGlite.
// Targets (issues 4, 11 and 27): whoami ≥ 50 % of hello-world requests/s with 50
// tokens, p99 ≤ 10 ms, ≥ 2 × the floor, never below 0.11.0, 100 000 tokens ≥ 90 %
// of 50; ≥ 2 × the apiKey plugin; idle RSS < 120 MB on Postgres and < 200 MB on
// PGlite. BENCH_MILLION=1 adds the old single-token case with 1 M tokens in the
// table (latency ≤ 1.2 × at 1 k).
// BENCH_NODE=24 (or a path to a node binary) runs every server on that Node;
// BENCH_SERVER=<another build's server/dist/main.js> measures that build as "whoami";
// BENCH_CPU_PROF=<dir> writes the CPU profiles of the loaded servers (main and
// 0.11.0) there (`node bench/cpu-profile-top.mjs <file>` summarises one).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { hash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mintToken } from "@claudemesh/sdk/token";
import { node24 } from "@claudemesh/test-support/node24";
import { residentBytes } from "@claudemesh/test-support/resident-memory";
import { startThrowawayPostgres } from "@claudemesh/test-support/throwaway-postgres";
import { WORKSPACE_ROOT } from "@claudemesh/test-support/workspace";
import autocannon from "autocannon";
import postgres from "postgres";

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Distinct tokens in use, one column of figures each; the first is the targets' reference. */
const TOKENS_IN_USE = [50, 1_000, 100_000] as const;
/** The build measured as "whoami": this workspace's, or BENCH_SERVER (another build's dist/main.js, for a before/after). */
const SERVER_BUNDLE = process.env.BENCH_SERVER ?? fileURLToPath(new URL("../dist/main.js", import.meta.url));
const HELLO_WORLD = fileURLToPath(new URL("./hello-world.mjs", import.meta.url));
const ONE_READ_FLOOR = fileURLToPath(new URL("./one-read-floor.mjs", import.meta.url));
const API_KEY_BASELINE = fileURLToPath(new URL("./api-key-baseline/", import.meta.url));
/** Release 0.11.0, the build the hot path must never fall below. */
const RELEASE_0_11_0 = "862f38b329260b6660a13e110e30a0a11ef78a14";
const MB = 1024 * 1024;
const BETTER_AUTH_SECRET = "bench-secret-bench-secret-bench-secret-0123";
const CACHE = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "claudemesh-bench");
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROF;

/** The Node every server runs on: this one, or BENCH_NODE (`24`: npm's node@24, as the tests use; or a path). */
async function serverNode(): Promise<string> {
  const wanted = process.env.BENCH_NODE;
  if (!wanted) return process.execPath;
  return wanted === "24" ? node24() : wanted;
}

/**
 * Installs the apiKey baseline into a cache folder outside the workspace (its
 * exact peer pins would change the server's own better-auth dependencies) and
 * returns its entry point; null, with the reason printed, when npm cannot.
 */
function installApiKeyBaseline(): string | null {
  const manifest = readFileSync(join(API_KEY_BASELINE, "package.json"), "utf8");
  const dir = join(CACHE, `api-key-baseline-${hashOf(manifest)}`);
  if (!existsSync(join(dir, "node_modules", "@better-auth", "api-key"))) {
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(API_KEY_BASELINE, "package.json"), join(dir, "package.json"));
    try {
      console.error(`installing the apiKey baseline into ${dir}…`);
      execFileSync("npm", ["install", "--no-audit", "--no-fund", "--legacy-peer-deps"], { cwd: dir, stdio: "ignore" });
    } catch (error) {
      console.error(`cannot install the apiKey baseline (${(error as Error).message}); skipping it`);
      return null;
    }
  }
  copyFileSync(join(API_KEY_BASELINE, "server.mjs"), join(dir, "server.mjs"));
  return join(dir, "server.mjs");
}

/**
 * Release 0.11.0's server bundle: its commit's files exported into the cache
 * folder (`git archive`, so the repository gets no worktree to keep track of),
 * installed and built the first time, reused after. The reason instead when it
 * cannot be had (no git history, no registry, a failed build).
 */
function buildRelease(): { entry: string } | { reason: string } {
  const dir = join(CACHE, `v0.11.0-${RELEASE_0_11_0.slice(0, 12)}`);
  const entry = join(dir, "server", "dist", "main.js");
  try {
    if (!existsSync(join(dir, "package.json"))) {
      mkdirSync(dir, { recursive: true });
      console.error(`exporting 0.11.0 (${RELEASE_0_11_0.slice(0, 7)}) into ${dir}…`);
      const archive = execFileSync("git", ["-C", WORKSPACE_ROOT, "archive", "--format=tar", RELEASE_0_11_0], {
        maxBuffer: 512 * 1024 * 1024,
      });
      execFileSync("tar", ["-x", "-C", dir], { input: archive });
    }
    if (!existsSync(entry)) {
      console.error("installing and building 0.11.0 (once)…");
      execFileSync("npx", ["-y", "pnpm@10", "install", "--frozen-lockfile"], { cwd: dir, stdio: "ignore" });
      execFileSync("npx", ["-y", "pnpm@10", "--filter", "claudemesh-server", "build"], { cwd: dir, stdio: "ignore" });
    }
    return { entry };
  } catch (error) {
    return { reason: (error as Error).message.split("\n")[0] ?? String(error) };
  }
}

function hashOf(text: string): string {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash.toString(16);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server's resident memory once it has been left alone for 2 s. */
async function settledResidentBytes(child: ChildProcess): Promise<number> {
  await sleep(2000);
  return residentBytes(child.pid);
}

/** Every process the bench started; all are stopped when it ends, however it ends. */
const startedProcesses: ChildProcess[] = [];
let NODE = process.execPath;

function startProcess(
  script: string,
  env: Record<string, string>,
  nodeOptions: string[] = [],
): Promise<{ child: ChildProcess; url: string; output: string }> {
  const child = spawn(NODE, [...nodeOptions, script], {
    env: { ...process.env, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  startedProcesses.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (\S+)/.exec(output)?.[1];
      if (url) resolve({ child, url, output });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)));
  });
}

/** Stops a process and waits for it to be gone (a CPU profile is written on the way out). */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(10_000)]);
}

/** `--cpu-prof` into BENCH_CPU_PROF for the server named `name`, when asked for. */
function profiling(name: string): string[] {
  if (!CPU_PROFILE_DIR) return [];
  mkdirSync(CPU_PROFILE_DIR, { recursive: true });
  return ["--cpu-prof", `--cpu-prof-dir=${CPU_PROFILE_DIR}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`];
}

/** `cpu`: the server process's own CPU time per answered request, µs (NaN when the case names no process). */
type Load = { rps: number; mean: number; p50: number; p99: number; cpu: number };

/**
 * One case: a URL, and either fixed headers or a rotation of bearer tokens that
 * the connections take in turn, one per request (every case that sends tokens,
 * hello-world included, builds each request the same way, so the load
 * generator's own cost is the same for all).
 */
type Case = { url: string; headers?: Record<string, string>; tokens?: readonly string[]; pid?: number };

/** User + system CPU time of a process so far, µs, from /proc (Linux; clock ticks of 10 ms). */
function cpuMicros(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

function autocannonOptions({ url, headers, tokens }: Case, duration: number): autocannon.Options {
  if (!tokens) return { url, connections: CONNECTIONS, duration, headers };
  let turn = 0;
  return {
    url,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        method: "GET",
        setupRequest: (request) => {
          const token = tokens[turn % tokens.length];
          turn += 1;
          return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
        },
      },
    ],
  };
}

/** One measured run of a case at CONNECTIONS connections for DURATION_S seconds. */
async function load(benchCase: Case): Promise<Load> {
  const cpuBefore = cpuMicros(benchCase.pid);
  const result = await autocannon(autocannonOptions(benchCase, DURATION_S));
  const cpu = (cpuMicros(benchCase.pid) - cpuBefore) / result.requests.total;
  if (result.non2xx > 0 || result.errors > 0) {
    const statuses = JSON.stringify((result as { statusCodeStats?: unknown }).statusCodeStats ?? {});
    throw new Error(`${benchCase.url}: ${result.non2xx} non-2xx answers and ${result.errors} errors (${statuses})`);
  }
  return {
    rps: result.requests.average,
    mean: result.latency.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpu,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

type Measured = Load & { rounds: Load[] };

/**
 * The cases measured in turn, ROUNDS times over, after a 2 s warm-up each: this
 * machine's speed drifts by a third from one 10 s run to the next, so a case
 * and its baselines are measured side by side in every round. Each figure is
 * the median over the rounds; `ratio` gives the median of the rounds' ratios.
 */
async function interleaved(cases: Case[]) {
  for (const benchCase of cases) await autocannon(autocannonOptions(benchCase, 2));
  const rounds: Load[][] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const runs: Load[] = [];
    for (const benchCase of cases) runs.push(await load(benchCase));
    rounds.push(runs);
  }
  const measured: Measured[] = cases.map((_, i) => {
    const of = rounds.map((runs) => runs[i] as Load);
    return {
      rps: median(of.map((r) => r.rps)),
      mean: median(of.map((r) => r.mean)),
      p50: median(of.map((r) => r.p50)),
      p99: median(of.map((r) => r.p99)),
      cpu: median(of.map((r) => r.cpu)),
      rounds: of,
    };
  });
  return measured;
}

/** Median over the rounds of a's requests/s over b's, both measured in each round. */
function ratio(a: Measured, b: Measured, by: keyof Load = "rps"): number {
  return median(a.rounds.map((run, round) => run[by] / Math.max(b.rounds[round]?.[by] ?? 1, 0.001)));
}

async function json(response: Response) {
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
}

/** A new account on the server at `url`, signed in, with a fresh personal access token. */
async function signUpWithToken(url: string) {
  const origin = new URL(url).origin;
  const signUp = await fetch(`${url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ name: "Bench", email: "bench@example.test", password: "bench password" }),
  });
  await json(signUp);
  // Sign-up signs nobody in: sign in as a person would.
  const signIn = await fetch(`${url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ email: "bench@example.test", password: "bench password" }),
  });
  const { user } = (await json(signIn)) as { user: { id: string } };
  const cookie = signIn.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  const { token } = (await json(
    await fetch(`${url}/api/my/cli/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", origin, cookie },
      body: JSON.stringify({ name: "bench" }),
    }),
  )) as { token: string };
  return { userId: user.id, cookie, token };
}

/** Fills cli_token up to `total` rows owned by `userId`, then refreshes the planner's statistics. */
async function seedTokens(sql: postgres.Sql, userId: string, total: number) {
  const [{ count }] = (await sql`select count(*)::int as count from cli_token`) as unknown as [{ count: number }];
  await sql`
    insert into cli_token (id, user_id, kind, name, token_hash, created_at, expires_at)
    select 'bench-' || i, ${userId}, 'pat', 'seed', encode(sha256(('bench-' || i)::bytea), 'hex'), now(), null
    from generate_series(${count}::int, ${total - 1}::int) as i`;
  await sql`analyze cli_token`;
}

/**
 * Real tokens, minted as the server mints them, stored as it stores them (the
 * SHA-256 of the raw value, as hex) in rows written straight into `cli_token`,
 * 10 000 at a time: the columns used are the same in 0.11.0's schema and today's.
 */
async function insertTokens(sql: postgres.Sql, userId: string, tokens: readonly string[]) {
  for (let start = 0; start < tokens.length; start += 10_000) {
    const slice = tokens.slice(start, start + 10_000);
    await sql`
      insert into cli_token (id, user_id, kind, name, token_hash)
      select 'bench-in-use-' || (${start}::int + n), ${userId}, 'pat', 'bench ' || (${start}::int + n), hash
      from unnest(${slice.map((token) => hash("sha256", token, "hex"))}::text[]) with ordinality as t(hash, n)`;
  }
  await sql`analyze cli_token`;
}

async function main() {
  NODE = await serverNode();
  const nodeVersion = execFileSync(NODE, ["--version"], { encoding: "utf8" }).trim();
  const release = buildRelease();
  if ("reason" in release) console.error(`0.11.0 is not measured: ${release.reason}`);

  const cluster = await startThrowawayPostgres();
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin.unsafe("create database bench");
  await admin.unsafe("create database bench_release");
  const databaseUrl = cluster.url.replace(/\/postgres$/, "/bench");
  const releaseDatabaseUrl = cluster.url.replace(/\/postgres$/, "/bench_release");
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const releaseSql = postgres(releaseDatabaseUrl, { max: 1, onnotice: () => {} });
  try {
    const server = await startProcess(SERVER_BUNDLE, { DATABASE_URL: databaseUrl, BETTER_AUTH_SECRET });
    const idlePostgres = await settledResidentBytes(server.child);
    const origin = new URL(server.url).origin;
    const { userId, cookie } = await signUpWithToken(server.url);
    // The same tokens, valid on both builds: each has its own database and account.
    const tokens = Array.from({ length: TOKENS_IN_USE.at(-1) ?? 0 }, () => mintToken("pat"));
    await insertTokens(sql, userId, tokens);

    let releaseServer: Awaited<ReturnType<typeof startProcess>> | null = null;
    let releaseProblem = "reason" in release ? release.reason : null;
    if ("entry" in release) {
      try {
        releaseServer = await startProcess(release.entry, { DATABASE_URL: releaseDatabaseUrl, BETTER_AUTH_SECRET });
        const releaseOwner = await signUpWithToken(releaseServer.url);
        await insertTokens(releaseSql, releaseOwner.userId, tokens);
      } catch (error) {
        releaseProblem = `0.11.0 did not start or take tokens: ${(error as Error).message.split("\n")[0]}`;
        console.error(releaseProblem);
        if (releaseServer) await stopProcess(releaseServer.child);
        releaseServer = null;
      }
    }

    // The servers under load are restarted with the profiler on, when asked for, once set up.
    let loaded = server;
    if (CPU_PROFILE_DIR) {
      loaded = await startProcess(
        SERVER_BUNDLE,
        { DATABASE_URL: databaseUrl, BETTER_AUTH_SECRET },
        profiling(`main-node${nodeVersion}`),
      );
      if (releaseServer && "entry" in release) {
        await stopProcess(releaseServer.child);
        releaseServer = await startProcess(
          release.entry,
          { DATABASE_URL: releaseDatabaseUrl, BETTER_AUTH_SECRET },
          profiling(`v0.11.0-node${nodeVersion}`),
        );
      }
    }

    // The hello-world server and the floor stay up: every whoami figure is measured beside them.
    const hello = await startProcess(HELLO_WORLD, {});
    const floor = await startProcess(ONE_READ_FLOOR, { DATABASE_URL: databaseUrl });
    const inUse = (count: number) => tokens.slice(0, count);
    const whoami = (on: { url: string; child: ChildProcess }, count: number): Case => ({
      url: `${on.url}/api/my/whoami`,
      tokens: inUse(count),
      pid: on.child.pid,
    });
    const cases: Case[] = [{ url: hello.url, tokens: inUse(TOKENS_IN_USE[0]), pid: hello.child.pid }];
    for (const count of TOKENS_IN_USE) cases.push(whoami(floor, count));
    for (const count of TOKENS_IN_USE) cases.push(whoami(loaded, count));
    if (releaseServer) for (const count of TOKENS_IN_USE) cases.push(whoami(releaseServer, count));
    const [helloWorld, ...byCase] = await interleaved(cases);
    if (!helloWorld) throw new Error("no load figures");
    const column = (row: number) => TOKENS_IN_USE.map((_, i) => byCase[row * TOKENS_IN_USE.length + i] as Measured);
    const floorRuns = column(0);
    const mainRuns = column(1);
    const releaseRuns = releaseServer ? column(2) : null;

    const afterLoad = residentBytes(loaded.child.pid);
    if (CPU_PROFILE_DIR) {
      await stopProcess(loaded.child);
      if (releaseServer) await stopProcess(releaseServer.child);
    }
    await stopProcess(floor.child);

    let apiKeyPlugin: Load | null = null;
    const baselineEntry = installApiKeyBaseline();
    if (baselineEntry) {
      await admin.unsafe("create database apikey");
      const baseline = await startProcess(baselineEntry, {
        DATABASE_URL: cluster.url.replace(/\/postgres$/, "/apikey"),
      });
      const key = /key (\S+)/.exec(baseline.output)?.[1] ?? "";
      [apiKeyPlugin = null] = await interleaved([{ url: `${baseline.url}/whoami`, headers: { "x-api-key": key } }]);
      await stopProcess(baseline.child);
    }

    /** The server on embedded PGlite in `dataDir`, settled for 2 s: its resident memory. */
    const idleOnPglite = async (dataDir: string) => {
      const embedded = await startProcess(SERVER_BUNDLE, {
        CLAUDEMESH_DATA_DIR: dataDir,
        BETTER_AUTH_SECRET,
      });
      const bytes = await settledResidentBytes(embedded.child);
      await stopProcess(embedded.child);
      return bytes;
    };
    const pgliteDir = mkdtempSync(join(tmpdir(), "claudemesh-bench-pglite-"));
    const idlePgliteFirst = await idleOnPglite(pgliteDir);
    // Every later start opens the cluster the first one made: the steady state.
    const idlePglite = await idleOnPglite(pgliteDir);
    rmSync(pgliteDir, { recursive: true, force: true });

    // Long-poll wake-up across instances: poll on A, approve on B (same database).
    const second = await startProcess(SERVER_BUNDLE, {
      DATABASE_URL: databaseUrl,
      BETTER_AUTH_SECRET,
      PUBLIC_URL: server.url,
    });
    const wakeups: number[] = [];
    // Login 0 is the second instance's first approval, which compiles the whole
    // approve path (session, rate limit, audit); it is reported, not counted.
    for (let i = 0; i <= 20; i += 1) {
      const code = (await json(
        await fetch(`${server.url}/api/auth/cli/device-code`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ device_name: "bench", device_os: "linux", device_arch: "x64" }),
        }),
      )) as { device_code: string; user_code: string };
      const polled = fetch(`${server.url}/api/auth/cli/device-code/${code.device_code}?wait=20`).then(() =>
        performance.now(),
      );
      await new Promise((resolve) => setTimeout(resolve, 100)); // let the poll park
      const approving = performance.now();
      await json(
        await fetch(`${second.url}/api/auth/cli/device-code/${code.user_code}/approve`, {
          method: "POST",
          headers: { origin, cookie },
        }),
      );
      wakeups.push((await polled) - approving);
    }
    const coldWakeup = wakeups.shift() ?? 0;
    console.error(`wake-ups in order, ms: ${wakeups.map((ms) => ms.toFixed(0)).join(" ")}`);
    wakeups.sort((a, b) => a - b);
    const wakeMedian = wakeups[Math.floor(wakeups.length / 2)] ?? 0;
    const wakeMax = wakeups.at(-1) ?? 0;

    // BENCH_MILLION=1: one token, with 1 M in the table, on a second server measured in turns with the first (100 k).
    let million: { small: Measured; large: Measured } | null = null;
    if (process.env.BENCH_MILLION === "1") {
      await admin.unsafe("create database bench_1m");
      const millionUrl = cluster.url.replace(/\/postgres$/, "/bench_1m");
      const large = await startProcess(SERVER_BUNDLE, { DATABASE_URL: millionUrl, BETTER_AUTH_SECRET });
      const owner = await signUpWithToken(large.url);
      const millionSql = postgres(millionUrl, { max: 1, onnotice: () => {} });
      console.error("seeding 1,000,000 tokens…");
      await seedTokens(millionSql, owner.userId, 1_000_000);
      await millionSql.end();
      const [small, big] = await interleaved([
        whoami(server, 1),
        { url: `${large.url}/api/my/whoami`, headers: { authorization: `Bearer ${owner.token}` } },
      ]);
      if (small && big) million = { small, large: big };
    }

    const pct = (value: number) => `${(value * 100).toFixed(1)} %`;
    const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
    const row = (name: string, r: Load, extra = "") =>
      console.log(
        `${name.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} ${r.mean.toFixed(2).padStart(8)} ${String(r.p50).padStart(7)} ${String(r.p99).padStart(7)} ${(Number.isNaN(r.cpu) ? "—" : r.cpu.toFixed(0)).padStart(7)}${extra}`,
      );
    console.log(
      `\nNode ${nodeVersion}; ${CONNECTIONS} connections, medians of ${ROUNDS} rounds of ${DURATION_S} s, every case of the first table measured in turn in each round; Postgres 15 on loopback`,
    );
    console.log(
      `${"case".padEnd(34)}   req/s  mean ms  p50 ms  p99 ms  cpu µs   / hello   / floor   / 0.11.0  (ratios: medians of the rounds' ratios; cpu: the server process's CPU per request)`,
    );
    row("hello-world (bare Hono)", helloWorld);
    TOKENS_IN_USE.forEach((count, i) => {
      const label = count.toLocaleString("en-US");
      const floorRun = floorRuns[i] as Measured;
      const mainRun = mainRuns[i] as Measured;
      const releaseRun = releaseRuns?.[i];
      row(`floor (one read), ${label} tokens`, floorRun, `  ${pct(ratio(floorRun, helloWorld)).padStart(8)}`);
      if (releaseRun)
        row(`0.11.0 whoami, ${label} tokens`, releaseRun, `  ${pct(ratio(releaseRun, helloWorld)).padStart(8)}`);
      row(
        `whoami, ${label} tokens`,
        mainRun,
        `  ${pct(ratio(mainRun, helloWorld)).padStart(8)}  ${`${ratio(mainRun, floorRun).toFixed(2)}×`.padStart(8)}  ${releaseRun ? `${ratio(mainRun, releaseRun).toFixed(2)}×`.padStart(8) : "       —"}`,
      );
    });
    if (apiKeyPlugin) row("Better Auth apiKey verify", apiKeyPlugin);
    if (million) {
      row("whoami, 1 token, 100 k in the table", million.small);
      row("whoami, 1 token, 1 M in the table", million.large);
    }
    if (!releaseServer) console.log(`0.11.0: not measured (${releaseProblem})`);
    if (CPU_PROFILE_DIR)
      console.log(
        `whoami and 0.11.0 ran under --cpu-prof (profiles in ${CPU_PROFILE_DIR}): their figures include the profiler's cost`,
      );

    const [main50, main1k, main100k] = mainRuns as [Measured, Measured, Measured];
    const [floor50] = floorRuns as [Measured];
    const overHello = ratio(main50, helloWorld);
    const overFloor = ratio(main50, floor50);
    const scale = ratio(main100k, main50);
    console.log("\ntargets (issue 27; ratios from this run):");
    console.log(
      `  whoami, 50 tokens / hello-world: ${pct(overHello)} (target ≥ 50 %: ${verdict(overHello >= 0.5)}); p99 ${main50.p99} ms (target ≤ 10 ms: ${verdict(main50.p99 <= 10)})`,
    );
    console.log(
      `  whoami, 50 tokens / one-read floor: ${overFloor.toFixed(2)}× (target ≥ 2×: ${verdict(overFloor >= 2)})`,
    );
    if (releaseRuns) {
      const overRelease = TOKENS_IN_USE.map((_, i) => ratio(mainRuns[i] as Measured, releaseRuns[i] as Measured));
      console.log(
        `  whoami / 0.11.0: ${overRelease.map((r, i) => `${r.toFixed(2)}× at ${TOKENS_IN_USE[i]?.toLocaleString("en-US")}`).join(", ")} (target ≥ 1× at each: ${verdict(overRelease.every((r) => r >= 1))})`,
      );
      const cpuOverRelease = TOKENS_IN_USE.map((_, i) =>
        ratio(mainRuns[i] as Measured, releaseRuns[i] as Measured, "cpu"),
      );
      console.log(
        `  server CPU per request, whoami / 0.11.0 (less is better; steadier than req/s on a shared machine): ${cpuOverRelease.map((r, i) => `${r.toFixed(2)}× at ${TOKENS_IN_USE[i]?.toLocaleString("en-US")}`).join(", ")}`,
      );
    } else {
      console.log(`  whoami / 0.11.0: not measured (${releaseProblem})`);
    }
    console.log(
      `  whoami, 100,000 tokens / 50 tokens: ${pct(scale)} (target ≥ 90 %: ${verdict(scale >= 0.9)}); 1,000 / 50: ${pct(ratio(main1k, main50))}; p99 ${main50.p99} / ${main1k.p99} / ${main100k.p99} ms`,
    );
    if (apiKeyPlugin) {
      const overPlugin = main1k.rps / apiKeyPlugin.rps;
      console.log(
        `  whoami (1,000 tokens) / Better Auth apiKey verify: ${overPlugin.toFixed(2)}× (target ≥ 2×: ${verdict(overPlugin >= 2)})`,
      );
    }
    console.log(
      `  long-poll wake-up across two instances (approve sent → poll answered, 20 logins): median ${wakeMedian.toFixed(1)} ms, max ${wakeMax.toFixed(1)} ms (target ≤ 100 ms: ${verdict(wakeMax <= 100)}); the cold first one ${coldWakeup.toFixed(0)} ms`,
    );
    if (million) {
      // Mean, not p50: autocannon reports percentiles in whole milliseconds, too coarse for a ratio at ~5 ms.
      const meanRatio = ratio(million.large, million.small, "mean");
      console.log(
        `  whoami with 1 token, latency 1 M / 100 k tokens in the table: mean ${meanRatio.toFixed(2)}×, p99 ${(million.large.p99 / Math.max(million.small.p99, 0.001)).toFixed(2)}× (target ≤ 1.2×: ${verdict(meanRatio <= 1.2)})`,
      );
    }
    const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
    console.log(
      `  idle RSS: Postgres ${mb(idlePostgres)} (target < 120 MB: ${verdict(idlePostgres < 120 * MB)}), after the load ${mb(afterLoad)}; PGlite ${mb(idlePglite)} (target < 200 MB: ${verdict(idlePglite < 200 * MB)}; ${mb(idlePgliteFirst)} on the first start, which creates the database)`,
    );
  } finally {
    await Promise.all(startedProcesses.map(stopProcess));
    await sql.end();
    await releaseSql.end();
    await admin.end();
    await cluster.stop();
  }
}

await main();
