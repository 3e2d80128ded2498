// `pnpm bench broker`: the mesh broker (issue 26) on a throwaway real Postgres.
//  1. A direct message, send → receive, from a peer on instance A to a peer on
//     instance B, at 100 messages/s: p50/p95/p99 (target p95 ≤ 50 ms).
//  2. Delivered messages/s on one instance, stored in Postgres, with 10 senders
//     (4 sockets each) and 10 receivers that ack (target ≥ 3 000/s).
// Each beside a bare `ws` relay (bench/broker-relay.mjs) measured the same way in this run.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { brokerPath } from "@claudemesh/sdk/contracts";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { startThrowawayPostgres } from "@claudemesh/test-support/throwaway-postgres";
import WebSocket from "ws";

const LATENCY_RATE = 100;
const LATENCY_SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const PAIRS = 10;
const SOCKETS_PER_SENDER = 4;
/** Per socket, under the broker's 100 a second. */
const SEND_RATE = 90;
const THROUGHPUT_SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const RELAY = fileURLToPath(new URL("./broker-relay.mjs", import.meta.url));

interface Member {
  id: string;
  token: string;
}

async function newMember(server: RunningServer, name: string): Promise<Member> {
  const account = await server.signUp(name);
  const pat = await server.createPat(account.cookie, "bench");
  const whoami = (await (
    await fetch(new URL("/api/my/whoami", server.url), { headers: { authorization: `Bearer ${pat.token}` } })
  ).json()) as { user: { id: string } };
  return { id: whoami.user.id, token: pat.token };
}

async function api(server: RunningServer, path: string, body: unknown, token: string): Promise<unknown> {
  const response = await fetch(new URL(path, server.url), {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function meshOf(server: RunningServer, owner: Member, others: Member[]): Promise<string> {
  const mesh = (await api(server, "/api/my/meshes", { name: `Bench ${randomUUID().slice(0, 6)}` }, owner.token)) as {
    id: string;
  };
  for (const other of others) {
    const invite = (await api(server, `/api/my/meshes/${mesh.id}/invites`, {}, owner.token)) as { url: string };
    await api(server, `/api/invites/${invite.url.split("/invite/")[1]}/accept`, {}, other.token);
  }
  return mesh.id;
}

/** A broker peer that has said hello and been synced; `onMessage` sees each delivered message. */
function brokerPeer(server: RunningServer, mesh: string, member: Member, onMessage: (body: string) => void) {
  const socket = new WebSocket(new URL(brokerPath(mesh), server.url.replace(/^http/, "ws")), {
    headers: { authorization: `Bearer ${member.token}` },
  });
  let unacked: string[] = [];
  return new Promise<WebSocket>((resolve, reject) => {
    socket.once("error", reject);
    socket.once("open", () =>
      socket.send(JSON.stringify({ type: "hello", session_id: `bench-${randomUUID()}`, kind: "cli", visible: false })),
    );
    socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; message_id?: string; body?: string };
      if (frame.type === "synced") resolve(socket);
      if (frame.type === "error") console.error(`broker error: ${data.toString()}`);
      if (frame.type !== "message") return;
      onMessage(frame.body ?? "");
      unacked.push(frame.message_id ?? "");
      // Ack in batches, as a client that keeps up would.
      if (unacked.length >= 50) {
        socket.send(JSON.stringify({ type: "ack", message_ids: unacked }));
        unacked = [];
      }
    });
    setInterval(() => {
      if (unacked.length > 0 && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({ type: "ack", message_ids: unacked }));
        unacked = [];
      }
    }, 50).unref();
  });
}

function relayPeer(url: string, name: string, onMessage: (body: string) => void): Promise<WebSocket> {
  const socket = new WebSocket(`${url}/?name=${name}`);
  socket.on("message", (data) => onMessage((JSON.parse(data.toString()) as { body: string }).body));
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

function startRelay(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [RELAY], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      const url = /listening on (\S+)/.exec(chunk.toString())?.[1];
      if (url) resolve({ child, url });
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends at `rate`/s for `seconds` through `send`; resolves with the latencies (ms) of what arrived. */
async function measureLatency(
  open: (onMessage: (body: string) => void) => Promise<(body: string) => void>,
  rate: number,
  seconds: number,
): Promise<number[]> {
  const latencies: number[] = [];
  const send = await open((body) => latencies.push(performance.now() - Number(body)));
  const total = rate * seconds;
  const start = performance.now();
  for (let i = 0; i < total; i += 1) {
    // Paced against the clock, so a late tick does not slow the rate down.
    const due = start + (i * 1000) / rate;
    if (due > performance.now()) await sleep(due - performance.now());
    send(String(performance.now()));
  }
  const deadline = performance.now() + 10_000;
  while (latencies.length < total && performance.now() < deadline) await sleep(50);
  return latencies;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Every sender sends at SEND_RATE per socket; resolves with messages delivered per second. */
async function measureThroughput(
  senders: ((body: string) => void)[],
  delivered: () => number,
  seconds: number,
): Promise<number> {
  const before = delivered();
  const start = performance.now();
  let tick = 0;
  while (performance.now() - start < seconds * 1000) {
    tick += 1;
    const due = start + (tick * 1000) / SEND_RATE;
    if (due > performance.now()) await sleep(due - performance.now());
    for (const send of senders) send("x".repeat(200));
  }
  // Count what arrived within the window plus a short drain.
  await sleep(1000);
  return (delivered() - before) / ((performance.now() - start) / 1000);
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  const postgres = await startThrowawayPostgres();
  const relay = await startRelay();
  const servers: RunningServer[] = [];
  try {
    for (let i = 0; i < 2; i += 1) servers.push(await startClaudemeshServer({ databaseUrl: postgres.url }));
    const [a, b] = servers as [RunningServer, RunningServer];

    // 1. Latency across two instances.
    const alice = await newMember(a, "Alice");
    const bob = await newMember(a, "Bob");
    const mesh = await meshOf(a, alice, [bob]);
    const broker = await measureLatency(
      async (onMessage) => {
        await brokerPeer(b, mesh, bob, onMessage);
        const sender = await brokerPeer(a, mesh, alice, () => {});
        return (body) =>
          sender.send(JSON.stringify({ type: "send", client_ref: randomUUID(), to: { member_id: bob.id }, body }));
      },
      LATENCY_RATE,
      LATENCY_SECONDS,
    );
    const baseline = await measureLatency(
      async (onMessage) => {
        await relayPeer(relay.url, "bob", onMessage);
        const sender = await relayPeer(relay.url, "alice", () => {});
        return (body) => sender.send(JSON.stringify({ to: "bob", body }));
      },
      LATENCY_RATE,
      LATENCY_SECONDS,
    );
    const expected = LATENCY_RATE * LATENCY_SECONDS;
    console.log(`\ndirect message A → B at ${LATENCY_RATE}/s for ${LATENCY_SECONDS} s (${expected} messages)`);
    console.log("                  received     p50       p95       p99");
    for (const [name, values] of [
      ["broker", broker],
      ["bare ws relay", baseline],
    ] as const) {
      console.log(
        `  ${name.padEnd(15)} ${String(values.length).padStart(6)}  ${fmt(percentile(values, 50)).padStart(8)}  ${fmt(percentile(values, 95)).padStart(8)}  ${fmt(percentile(values, 99)).padStart(8)}`,
      );
    }
    const p95 = percentile(broker, 95);
    console.log(`  target p95 ≤ 50 ms: ${p95 <= 50 ? "met" : "NOT met"} (${fmt(p95)})`);

    // 2. Throughput on one instance.
    const owner = await newMember(a, "Owner");
    const senders: Member[] = [];
    const receivers: Member[] = [];
    for (let i = 0; i < PAIRS; i += 1) {
      senders.push(await newMember(a, `Sender ${i}`));
      receivers.push(await newMember(a, `Receiver ${i}`));
    }
    const busy = await meshOf(a, owner, [...senders, ...receivers]);
    let delivered = 0;
    for (const receiver of receivers) await brokerPeer(a, busy, receiver, () => (delivered += 1));
    const sends: ((body: string) => void)[] = [];
    for (const [i, sender] of senders.entries()) {
      for (let s = 0; s < SOCKETS_PER_SENDER; s += 1) {
        const socket = await brokerPeer(a, busy, sender, () => {});
        const to = { member_id: receivers[i]?.id };
        sends.push((body) => socket.send(JSON.stringify({ type: "send", client_ref: randomUUID(), to, body })));
      }
    }
    const brokerRate = await measureThroughput(sends, () => delivered, THROUGHPUT_SECONDS);

    let relayed = 0;
    const relaySends: ((body: string) => void)[] = [];
    for (let i = 0; i < PAIRS; i += 1) await relayPeer(relay.url, `r${i}`, () => (relayed += 1));
    for (let i = 0; i < PAIRS * SOCKETS_PER_SENDER; i += 1) {
      const socket = await relayPeer(relay.url, `s${i}`, () => {});
      const to = `r${i % PAIRS}`;
      relaySends.push((body) => socket.send(JSON.stringify({ to, body })));
    }
    const relayRate = await measureThroughput(relaySends, () => relayed, THROUGHPUT_SECONDS);
    const offered = PAIRS * SOCKETS_PER_SENDER * SEND_RATE;
    console.log(
      `\ndelivered on one instance, ${PAIRS * SOCKETS_PER_SENDER} sockets offering ${offered} msg/s for ${THROUGHPUT_SECONDS} s`,
    );
    console.log(`  broker (stored in Postgres, acked)  ${brokerRate.toFixed(0).padStart(6)} msg/s`);
    console.log(`  bare ws relay                       ${relayRate.toFixed(0).padStart(6)} msg/s`);
    console.log(`  target ≥ 3 000 msg/s: ${brokerRate >= 3000 ? "met" : "NOT met"}`);
  } finally {
    relay.child.kill("SIGTERM");
    await Promise.all(servers.map((server) => server.stop()));
    await postgres.stop();
  }
  process.exit(0);
}

await main();
