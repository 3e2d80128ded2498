// `pnpm bench server`: authenticated GET /api/my/whoami (PAT, one indexed read per
// request) against a bare Hono hello-world and against stock Better Auth's
// apiKey-plugin verify route, all measured here in one run with 50 connections,
// on a throwaway real Postgres, in interleaved rounds beside the hello-world
// server; then again with 1 M tokens in the table; the long-poll wake-up across
// two instances; and the server's idle memory on Postgres and on embedded PGlite.
// Targets (issues 4 and 11): whoami ≥ 50 % of hello-world requests/s, p99 ≤ 10 ms,
// ≥ 2 × the apiKey plugin's requests/s, latency at 1 M tokens ≤ 1.2 × at 1 k,
// idle RSS < 120 MB on Postgres and < 200 MB on PGlite.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startThrowawayPostgres } from "@claudemesh/test-support/throwaway-postgres";
import autocannon from "autocannon";
import postgres from "postgres";

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SERVER_BUNDLE = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const HELLO_WORLD = fileURLToPath(new URL("./hello-world.mjs", import.meta.url));
const API_KEY_BASELINE = fileURLToPath(new URL("./api-key-baseline/", import.meta.url));
const MB = 1024 * 1024;
const BETTER_AUTH_SECRET = "bench-secret-bench-secret-bench-secret-0123";

/**
 * Installs the apiKey baseline into a cache folder outside the workspace (its
 * exact peer pins would change the server's own better-auth dependencies) and
 * returns its entry point; null, with the reason printed, when npm cannot.
 */
function installApiKeyBaseline(): string | null {
  const manifest = readFileSync(join(API_KEY_BASELINE, "package.json"), "utf8");
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache");
  const dir = join(cache, "claudemesh-bench", `api-key-baseline-${hashOf(manifest)}`);
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

function hashOf(text: string): string {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash.toString(16);
}

/** Resident memory of a process, from /proc (Linux). */
function residentBytes(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server's resident memory once it has been left alone for 2 s. */
async function settledResidentBytes(child: ChildProcess): Promise<number> {
  await sleep(2000);
  return residentBytes(child.pid);
}

/** Every process the bench started; all are stopped when it ends, however it ends. */
const startedProcesses: ChildProcess[] = [];

function startProcess(
  script: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: string }> {
  const child = spawn(process.execPath, [script], {
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

type Load = { rps: number; mean: number; p50: number; p99: number };

/** One measured run of `url` at CONNECTIONS connections for DURATION_S seconds. */
async function load(url: string, headers: Record<string, string> = {}): Promise<Load> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  }
  return {
    rps: result.requests.average,
    mean: result.latency.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/**
 * The cases measured in turn, ROUNDS times over, after a 2 s warm-up each: this
 * machine's speed drifts by a third from one 10 s run to the next, so a case
 * and its baseline are measured side by side in every round. Each figure is
 * the median over the rounds, and so is each ratio to the first case.
 */
async function interleaved(cases: { url: string; headers?: Record<string, string> }[]) {
  for (const { url, headers } of cases) {
    await autocannon({ url, connections: CONNECTIONS, duration: 2, headers });
  }
  const rounds: Load[][] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const runs: Load[] = [];
    for (const { url, headers } of cases) runs.push(await load(url, headers));
    rounds.push(runs);
  }
  return cases.map((_, i) => ({
    rps: median(rounds.map((runs) => runs[i]?.rps ?? 0)),
    mean: median(rounds.map((runs) => runs[i]?.mean ?? 0)),
    p50: median(rounds.map((runs) => runs[i]?.p50 ?? 0)),
    p99: median(rounds.map((runs) => runs[i]?.p99 ?? 0)),
    /** This case's requests/s over the first case's, per round, then the median. */
    rpsRatio: median(rounds.map((runs) => (runs[i]?.rps ?? 0) / (runs[0]?.rps ?? 1))),
    meanRatio: median(rounds.map((runs) => (runs[i]?.mean ?? 0) / (runs[0]?.mean ?? 1))),
  }));
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

async function main() {
  const cluster = await startThrowawayPostgres();
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin.unsafe("create database bench");
  const databaseUrl = cluster.url.replace(/\/postgres$/, "/bench");
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const server = await startProcess(SERVER_BUNDLE, {
      DATABASE_URL: databaseUrl,
      BETTER_AUTH_SECRET,
    });
    const idlePostgres = await settledResidentBytes(server.child);
    const origin = new URL(server.url).origin;
    const { userId, cookie, token } = await signUpWithToken(server.url);
    const whoamiUrl = `${server.url}/api/my/whoami`;
    const auth = { authorization: `Bearer ${token}` };

    // The hello-world server stays up: every whoami figure is measured beside it.
    const hello = await startProcess(HELLO_WORLD, {});
    const helloCase = { url: hello.url };
    const whoamiCase = { url: whoamiUrl, headers: auth };

    await seedTokens(sql, userId, 1_000);
    const [helloWorld, whoami1k] = await interleaved([helloCase, whoamiCase]);
    if (!helloWorld || !whoami1k) throw new Error("no load figures");

    const afterLoad = residentBytes(server.child.pid);

    let apiKeyPlugin: Load | null = null;
    const baselineEntry = installApiKeyBaseline();
    if (baselineEntry) {
      await admin.unsafe("create database apikey");
      const baseline = await startProcess(baselineEntry, {
        DATABASE_URL: cluster.url.replace(/\/postgres$/, "/apikey"),
      });
      const key = /key (\S+)/.exec(baseline.output)?.[1] ?? "";
      [apiKeyPlugin = null] = await interleaved([{ url: `${baseline.url}/whoami`, headers: { "x-api-key": key } }]);
      baseline.child.kill("SIGTERM");
    }

    /** The server on embedded PGlite in `dataDir`, settled for 2 s: its resident memory. */
    const idleOnPglite = async (dataDir: string) => {
      const embedded = await startProcess(SERVER_BUNDLE, {
        CLAUDEMESH_DATA_DIR: dataDir,
        BETTER_AUTH_SECRET,
      });
      const bytes = await settledResidentBytes(embedded.child);
      embedded.child.kill("SIGTERM");
      await new Promise((resolve) => embedded.child.once("exit", resolve));
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

    // 1 M tokens: a second server on a second database, measured in turns with the first.
    await admin.unsafe("create database bench_1m");
    const millionUrl = cluster.url.replace(/\/postgres$/, "/bench_1m");
    const million = await startProcess(SERVER_BUNDLE, { DATABASE_URL: millionUrl, BETTER_AUTH_SECRET });
    const owner = await signUpWithToken(million.url);
    const millionSql = postgres(millionUrl, { max: 1, onnotice: () => {} });
    console.error("seeding 1,000,000 tokens…");
    await seedTokens(millionSql, owner.userId, 1_000_000);
    await millionSql.end();
    const [whoami1kAgain, whoami1m] = await interleaved([
      whoamiCase,
      { url: `${million.url}/api/my/whoami`, headers: { authorization: `Bearer ${owner.token}` } },
    ]);
    if (!whoami1kAgain || !whoami1m) throw new Error("no load figures");

    const rows = [
      ["hello-world (bare Hono)", helloWorld],
      ...(apiKeyPlugin ? ([["Better Auth apiKey verify", apiKeyPlugin]] as const) : []),
      ["whoami, 1 k tokens", whoami1k],
      ["whoami, 1 k, beside 1 M", whoami1kAgain],
      ["whoami, 1 M tokens", whoami1m],
    ] as const;
    console.log(
      `\n${CONNECTIONS} connections, medians of ${ROUNDS} rounds of ${DURATION_S} s, cases measured in turns with the one above them, Postgres ${cluster.url.includes("127.0.0.1") ? "on loopback" : ""}`,
    );
    console.log("case                       req/s   mean ms   p50 ms   p99 ms");
    for (const [name, r] of rows) {
      console.log(
        `${name.padEnd(25)} ${r.rps.toFixed(0).padStart(7)} ${r.mean.toFixed(2).padStart(9)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(8)}`,
      );
    }
    const throughputRatio = whoami1k.rpsRatio;
    // Mean, not p50: autocannon reports percentiles in whole milliseconds, too coarse for a ratio at ~5 ms.
    const scaleRatio = whoami1m.meanRatio;
    const scaleRatioP99 = whoami1m.p99 / Math.max(whoami1kAgain.p99, 0.001);
    const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
    console.log(
      `\nwhoami / hello-world throughput (median of the rounds' ratios): ${(throughputRatio * 100).toFixed(1)} % (target ≥ 50 %: ${verdict(throughputRatio >= 0.5)})`,
    );
    console.log(`whoami p99 at 1 k tokens: ${whoami1k.p99} ms (target ≤ 10 ms: ${verdict(whoami1k.p99 <= 10)})`);
    if (apiKeyPlugin) {
      const overPlugin = whoami1k.rps / apiKeyPlugin.rps;
      console.log(
        `whoami / Better Auth apiKey verify throughput: ${overPlugin.toFixed(2)}× (target ≥ 2×: ${verdict(overPlugin >= 2)})`,
      );
    }
    console.log(
      `long-poll wake-up across two instances (approve sent → poll answered, 20 logins): median ${wakeMedian.toFixed(1)} ms, max ${wakeMax.toFixed(1)} ms (target ≤ 100 ms: ${verdict(wakeMax <= 100)}); the cold first one ${coldWakeup.toFixed(0)} ms`,
    );
    console.log(
      `latency 1 M / 1 k tokens: mean ${scaleRatio.toFixed(2)}×, p99 ${scaleRatioP99.toFixed(2)}× (target ≤ 1.2×: ${verdict(scaleRatio <= 1.2)})`,
    );
    const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
    console.log(
      `idle RSS: Postgres ${mb(idlePostgres)} (target < 120 MB: ${verdict(idlePostgres < 120 * MB)}), after the load ${mb(afterLoad)}; PGlite ${mb(idlePglite)} (target < 200 MB: ${verdict(idlePglite < 200 * MB)}; ${mb(idlePgliteFirst)} on the first start, which creates the database)`,
    );
  } finally {
    for (const child of startedProcesses) child.kill("SIGTERM");
    await sql.end();
    await admin.end();
    await cluster.stop();
  }
}

await main();
