// `pnpm bench keychain`: how long the OS keychain takes to answer through the SDK (loadKeytarKeychain,
// real gnome-keyring on a private D-Bus), idle and with the machine loaded, against the store's own
// KEYCHAIN_TIMEOUT_MS, after which a client falls back to auth.json. The baseline, measured in the same
// run: the same login read and written through the file store (auth.json).
// Run with tsx (see package.json): it imports the SDK's TypeScript.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CredentialStore, mintToken } from "@claudemesh/sdk";
import { benchTokenStore } from "@claudemesh/test-support/bench-token-store";
import { KEYCHAIN_TIMEOUT_MS, loadKeytarKeychain } from "../src/credentials/keychain.ts";

const CALLS = Number(process.env.BENCH_RUNS ?? 500);
/** Fresh processes, each timing its first keychain call: what every CLI command pays. */
const COLD = Number(process.env.BENCH_COLD ?? 20);
/** Busy loops started for the loaded phase; default one per core. */
const BUSY = Number(process.env.BENCH_BUSY ?? availableParallelism());
const ACCOUNT = "http://127.0.0.1:9#u1";
const USER = { id: "u1", name: "Bench", email: "bench@example.test" };
const SELF = fileURLToPath(import.meta.url);

// A child started by coldCalls(): loads the keychain and times its first read, as a CLI command does.
if (process.argv[2] === "--first-call") {
  const started = performance.now();
  const keychain = await loadKeytarKeychain({ timeoutMs: 60_000 });
  const loaded = performance.now();
  await keychain.get(ACCOUNT);
  console.log(JSON.stringify({ load: loaded - started, first: performance.now() - loaded }));
  process.exit(0);
}

/** ms of each of `CALLS` calls of `call`, in order. */
async function timed(call) {
  const times = [];
  for (let i = 0; i < CALLS; i += 1) {
    const started = performance.now();
    await call(i);
    times.push(performance.now() - started);
  }
  return times;
}

async function coldCalls() {
  const runs = [];
  for (let i = 0; i < COLD; i += 1) {
    const child = spawn(process.execPath, [...process.execArgv, SELF, "--first-call"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    await new Promise((resolve) => child.once("exit", resolve));
    runs.push(JSON.parse(out));
  }
  return { load: runs.map((run) => run.load), first: runs.map((run) => run.first) };
}

/** p50/p99/max of each series, and how many calls took longer than the timeout. */
function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return {
    p50: at(0.5),
    p99: at(0.99),
    max: sorted.at(-1) ?? Number.NaN,
    over: times.filter((t) => t > KEYCHAIN_TIMEOUT_MS).length,
  };
}

async function phase(name, keychain, file) {
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");
  const results = {
    "keychain getPassword": await timed(() => keychain.get(ACCOUNT)),
    "keychain setPassword": await timed(() => keychain.set(ACCOUNT, mintToken("session"))),
    "auth.json read (store.load)": await timed(() => file.load()),
    "auth.json write (store.save)": await timed(() =>
      file.save({ token: mintToken("session"), user: USER, expiresAt: null, source: "device-code" }),
    ),
  };
  const cold = await coldCalls();
  results[`first getPassword, fresh process ×${COLD}`] = cold.first;
  results[`  (loading keytar in it)`] = cold.load;
  const summaries = Object.fromEntries(Object.entries(results).map(([key, times]) => [key, summary(times)]));
  const after = loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");
  console.log(`\n${name} — load average ${load} before, ${after} after (${availableParallelism()} cores)`);
  console.log(
    `${"".padEnd(38)} ${"p50".padStart(8)} ${"p99".padStart(8)} ${"max".padStart(8)}  > ${KEYCHAIN_TIMEOUT_MS} ms`,
  );
  for (const [key, s] of Object.entries(summaries)) {
    const ms = (value) => value.toFixed(1).padStart(8);
    console.log(`${key.padEnd(38)} ${ms(s.p50)} ${ms(s.p99)} ${ms(s.max)}  ${s.over}`);
  }
  const ratio = (a, b) => (summaries[a].p50 / summaries[b].p50).toFixed(1);
  console.log(
    `keychain / auth.json p50: read ${ratio("keychain getPassword", "auth.json read (store.load)")}×, write ${ratio("keychain setPassword", "auth.json write (store.save)")}×`,
  );
}

const tokenStore = await benchTokenStore();
if (tokenStore.kind !== "keychain") {
  console.log("Nothing to measure: this benchmark is about the OS keychain.");
  process.exit(0);
}
Object.assign(process.env, tokenStore.env);
const configDir = mkdtempSync(join(tmpdir(), "claudemesh-keychain-bench-"));
const busy = [];
try {
  // No timeout of our own: a call slower than KEYCHAIN_TIMEOUT_MS is counted, not cut short.
  const keychain = await loadKeytarKeychain({ timeoutMs: 60_000 });
  await keychain.set(ACCOUNT, mintToken("session"));
  const file = new CredentialStore({ apiUrl: "http://127.0.0.1:9", configDir, mode: "file" });
  await file.save({ token: mintToken("session"), user: USER, expiresAt: null, source: "device-code" });
  console.log(
    `${CALLS} calls each; token store: ${tokenStore.store}; the SDK falls back to auth.json after ${KEYCHAIN_TIMEOUT_MS} ms`,
  );
  await phase("no load added (the machine as it is)", keychain, file);
  for (let i = 0; i < BUSY; i += 1) {
    busy.push(spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  await phase(`loaded (${BUSY} busy loops)`, keychain, file);
} finally {
  for (const child of busy) child.kill("SIGKILL");
  await tokenStore.stop();
  rmSync(configDir, { recursive: true, force: true });
}
