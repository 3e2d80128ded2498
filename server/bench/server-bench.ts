// `pnpm bench server`: authenticated GET /api/my/whoami (PAT, one indexed read per
// request) against a bare Hono hello-world, both measured here in one run with
// 50 connections, on a throwaway real Postgres; then again with 1 M tokens in the table.
// Targets (issue 4): whoami ≥ 50 % of hello-world requests/s, p99 ≤ 10 ms,
// latency at 1 M tokens ≤ 1.2 × latency at 1 k.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import postgres from "postgres";
import { startThrowawayPostgres } from "../test/support/throwaway-postgres.js";

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const SERVER_BUNDLE = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const HELLO_WORLD = fileURLToPath(new URL("./hello-world.mjs", import.meta.url));

function startProcess(script: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (\S+)/.exec(output)?.[1];
      if (url) resolve({ child, url });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)));
  });
}

async function load(url: string, headers: Record<string, string> = {}) {
  // A short warm-up so JIT and connection pools are settled before measuring.
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers });
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

async function json(response: Response) {
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
}

async function main() {
  const cluster = await startThrowawayPostgres();
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin.unsafe("create database bench");
  const databaseUrl = cluster.url.replace(/\/postgres$/, "/bench");
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const processes: ChildProcess[] = [];
  try {
    const server = await startProcess(SERVER_BUNDLE, {
      DATABASE_URL: databaseUrl,
      BETTER_AUTH_SECRET: "bench-secret-bench-secret-bench-secret-0123",
    });
    processes.push(server.child);
    const origin = new URL(server.url).origin;
    const signUp = await fetch(`${server.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ name: "Bench", email: "bench@example.test", password: "bench password" }),
    });
    const { user } = (await json(signUp)) as { user: { id: string } };
    const cookie = signUp.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");
    const pat = (await json(
      await fetch(`${server.url}/api/my/cli/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json", origin, cookie },
        body: JSON.stringify({ name: "bench" }),
      }),
    )) as { token: string };
    const whoamiUrl = `${server.url}/api/my/whoami`;
    const auth = { authorization: `Bearer ${pat.token}` };

    const seed = async (total: number) => {
      const [{ count }] = (await sql`select count(*)::int as count from cli_token`) as unknown as [{ count: number }];
      await sql`
        insert into cli_token (id, user_id, kind, name, token_hash, created_at, expires_at)
        select 'bench-' || i, ${user.id}, 'pat', 'seed', encode(sha256(('bench-' || i)::bytea), 'hex'), now(), null
        from generate_series(${count}::int, ${total - 1}::int) as i`;
      await sql`analyze cli_token`;
    };

    await seed(1_000);
    const whoami1k = await load(whoamiUrl, auth);

    const hello = await startProcess(HELLO_WORLD, {});
    processes.push(hello.child);
    const helloWorld = await load(hello.url);
    hello.child.kill("SIGTERM");

    // Long-poll wake-up across instances: poll on A, approve on B (same database).
    const second = await startProcess(SERVER_BUNDLE, {
      DATABASE_URL: databaseUrl,
      BETTER_AUTH_SECRET: "bench-secret-bench-secret-bench-secret-0123",
      PUBLIC_URL: server.url,
    });
    processes.push(second.child);
    const wakeups: number[] = [];
    for (let i = 0; i < 20; i += 1) {
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
    wakeups.sort((a, b) => a - b);
    const wakeMedian = wakeups[Math.floor(wakeups.length / 2)] ?? 0;
    const wakeMax = wakeups.at(-1) ?? 0;

    console.error("seeding 1,000,000 tokens…");
    await seed(1_000_000);
    const whoami1m = await load(whoamiUrl, auth);

    const rows = [
      ["hello-world (bare Hono)", helloWorld],
      ["whoami, 1 k tokens", whoami1k],
      ["whoami, 1 M tokens", whoami1m],
    ] as const;
    console.log(
      `\n${CONNECTIONS} connections, ${DURATION_S} s each, Postgres ${cluster.url.includes("127.0.0.1") ? "on loopback" : ""}`,
    );
    console.log("case                       req/s   mean ms   p50 ms   p99 ms");
    for (const [name, r] of rows) {
      console.log(
        `${name.padEnd(25)} ${r.rps.toFixed(0).padStart(7)} ${r.mean.toFixed(2).padStart(9)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(8)}`,
      );
    }
    const throughputRatio = whoami1k.rps / helloWorld.rps;
    // Mean, not p50: autocannon reports percentiles in whole milliseconds, too coarse for a ratio at ~5 ms.
    const scaleRatio = whoami1m.mean / whoami1k.mean;
    const scaleRatioP99 = whoami1m.p99 / Math.max(whoami1k.p99, 0.001);
    const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
    console.log(
      `\nwhoami / hello-world throughput: ${(throughputRatio * 100).toFixed(1)} % (target ≥ 50 %: ${verdict(throughputRatio >= 0.5)})`,
    );
    console.log(`whoami p99 at 1 k tokens: ${whoami1k.p99} ms (target ≤ 10 ms: ${verdict(whoami1k.p99 <= 10)})`);
    console.log(
      `long-poll wake-up across two instances (approve sent → poll answered, 20 logins): median ${wakeMedian.toFixed(1)} ms, max ${wakeMax.toFixed(1)} ms (target ≤ 100 ms: ${verdict(wakeMax <= 100)})`,
    );
    console.log(
      `latency 1 M / 1 k tokens: mean ${scaleRatio.toFixed(2)}×, p99 ${scaleRatioP99.toFixed(2)}× (target ≤ 1.2×: ${verdict(scaleRatio <= 1.2)})`,
    );
  } finally {
    for (const child of processes) child.kill("SIGTERM");
    await sql.end();
    await admin.end();
    await cluster.stop();
  }
}

await main();
