// `pnpm bench broker`: the mesh broker (issue 26) on a throwaway real Postgres.
//  1. A direct message, send → receive, from a peer on instance A to a peer on
//     instance B, at 100 messages/s: p50/p95/p99 (target p95 ≤ 50 ms).
//  2. Delivered messages/s on one instance, stored in Postgres, with 10 senders
//     (8 sockets each, each at most 90/s with at most 16 sends unanswered, as a
//     client that heeds the broker's answers) and 10 receivers that ack (target ≥ 3 000/s).
//  3. 1 000 connected peers on one fresh instance: 50 meshes of 5 of the members
//     above (each in 12 or 13), 4 sessions of each member in each, all visible, so
//     20 peers a mesh: how much its RSS grows (target ≤ 100 MB).
// Each beside a bare `ws` relay (bench/broker-relay.mjs) measured the same way in this run.
// The machine's load average is printed: on a machine busy with other work every figure grows alike.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { brokerPath } from "@claudemesh/sdk/contracts";
import { residentBytes } from "@claudemesh/test-support/resident-memory";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { startThrowawayPostgres } from "@claudemesh/test-support/throwaway-postgres";
import WebSocket from "ws";

const LATENCY_RATE = 100;
const LATENCY_SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const SENDERS = 10;
const RECEIVERS = 10;
const SOCKETS_PER_SENDER = 8;
/** Per socket, under the broker's 100 a second. */
const SEND_RATE = 90;
/** Sends a socket leaves unanswered before it waits: the broker refuses past 64 in flight. */
const SEND_WINDOW = 16;
const PEER_MESHES = 50;
const MEMBERS_PER_MESH = 5;
const SESSIONS_PER_MESH_MEMBER = 4;
/** The broker's limit of sockets per token. */
const SESSIONS_PER_TOKEN = 20;
const MB = 1024 * 1024;
const THROUGHPUT_SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const RELAY = fileURLToPath(new URL("./broker-relay.mjs", import.meta.url));

interface Member {
  id: string;
  token: string;
  /** Their browser's, for more tokens. */
  cookie: string;
}

async function newMember(server: RunningServer, name: string): Promise<Member> {
  // Accounts are few (sign-ups are limited per address): the peers of part 3 are those of part 2.
  const account = await server.signUp(name);
  const pat = await server.createPat(account.cookie, "bench");
  const whoami = (await (
    await fetch(new URL("/api/my/whoami", server.url), { headers: { authorization: `Bearer ${pat.token}` } })
  ).json()) as { user: { id: string } };
  return { id: whoami.user.id, token: pat.token, cookie: account.cookie };
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

/** Called for each answer to a send on a socket: "sent", or an error naming the send (a refusal). */
type OnAnswer = (refused: boolean) => void;

/** A broker peer that has said hello and been synced; `onMessage` sees each delivered message. */
function brokerPeer(
  server: RunningServer,
  mesh: string,
  member: Member,
  onMessage: (body: string) => void,
  options: { onAnswer?: OnAnswer; visible?: boolean } = {},
) {
  const socket = new WebSocket(new URL(brokerPath(mesh), server.url.replace(/^http/, "ws")), {
    headers: { authorization: `Bearer ${member.token}` },
  });
  let unacked: string[] = [];
  const visible = options.visible ?? false;
  return new Promise<WebSocket>((resolve, reject) => {
    socket.once("error", reject);
    socket.once("open", () =>
      socket.send(JSON.stringify({ type: "hello", session_id: `bench-${randomUUID()}`, kind: "cli", visible })),
    );
    socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; message_id?: string; body?: string; ref?: string };
      if (frame.type === "synced") resolve(socket);
      if (frame.type === "sent") options.onAnswer?.(false);
      if (frame.type === "error") {
        if (frame.ref && options.onAnswer) options.onAnswer(true);
        else console.error(`broker error: ${data.toString()}`);
      }
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

/** A sending socket: sends a body, and says whether it may send now (its window is not full). */
interface Sending {
  send(body: string): void;
  ready(): boolean;
}

/** Every sender sends at up to SEND_RATE per socket; resolves with messages offered and delivered per second. */
async function measureThroughput(
  senders: Sending[],
  delivered: () => number,
  seconds: number,
): Promise<{ offered: number; delivered: number }> {
  const before = delivered();
  const start = performance.now();
  let tick = 0;
  let sent = 0;
  while (performance.now() - start < seconds * 1000) {
    tick += 1;
    const due = start + (tick * 1000) / SEND_RATE;
    if (due > performance.now()) await sleep(due - performance.now());
    for (const sender of senders) {
      if (!sender.ready()) continue;
      sender.send("x".repeat(200));
      sent += 1;
    }
  }
  const elapsed = (performance.now() - start) / 1000;
  // Count what arrived within the window plus a short drain.
  await sleep(1000);
  return { offered: sent / elapsed, delivered: (delivered() - before) / ((performance.now() - start) / 1000) };
}

/** RSS of `pid` once it has settled: the lowest of a few readings a second apart (a collection may be under way). */
async function settledResident(pid: number | undefined): Promise<number> {
  let lowest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i += 1) {
    await sleep(1000);
    lowest = Math.min(lowest, residentBytes(pid));
  }
  return lowest;
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
    for (let i = 0; i < SENDERS; i += 1) senders.push(await newMember(a, `Sender ${i}`));
    for (let i = 0; i < RECEIVERS; i += 1) receivers.push(await newMember(a, `Receiver ${i}`));
    const busy = await meshOf(a, owner, [...senders, ...receivers]);
    let delivered = 0;
    for (const receiver of receivers) await brokerPeer(a, busy, receiver, () => (delivered += 1));
    const sends: Sending[] = [];
    let refused = 0;
    for (const [i, sender] of senders.entries()) {
      for (let s = 0; s < SOCKETS_PER_SENDER; s += 1) {
        let unanswered = 0;
        const onAnswer = (wasRefused: boolean) => {
          unanswered -= 1;
          if (wasRefused) refused += 1;
        };
        const socket = await brokerPeer(a, busy, sender, () => {}, { onAnswer });
        const to = { member_id: receivers[i % RECEIVERS]?.id };
        sends.push({
          ready: () => unanswered < SEND_WINDOW,
          send: (body) => {
            unanswered += 1;
            socket.send(JSON.stringify({ type: "send", client_ref: randomUUID(), to, body }));
          },
        });
      }
    }
    const brokerRate = await measureThroughput(sends, () => delivered, THROUGHPUT_SECONDS);

    let relayed = 0;
    const relaySends: Sending[] = [];
    for (let i = 0; i < RECEIVERS; i += 1) await relayPeer(relay.url, `r${i}`, () => (relayed += 1));
    for (let i = 0; i < SENDERS * SOCKETS_PER_SENDER; i += 1) {
      const socket = await relayPeer(relay.url, `s${i}`, () => {});
      const to = `r${i % RECEIVERS}`;
      relaySends.push({ ready: () => true, send: (body) => socket.send(JSON.stringify({ to, body })) });
    }
    const relayRate = await measureThroughput(relaySends, () => relayed, THROUGHPUT_SECONDS);
    const sockets = SENDERS * SOCKETS_PER_SENDER;
    console.log(
      `\ndelivered on one instance: ${sockets} sockets, each up to ${SEND_RATE}/s (${sockets * SEND_RATE}/s at most), for ${THROUGHPUT_SECONDS} s`,
    );
    console.log("                                       offered    delivered");
    console.log(
      `  broker (stored in Postgres, acked)  ${brokerRate.offered.toFixed(0).padStart(7)}/s  ${brokerRate.delivered.toFixed(0).padStart(7)}/s  (${refused} refused)`,
    );
    console.log(
      `  bare ws relay                       ${relayRate.offered.toFixed(0).padStart(7)}/s  ${relayRate.delivered.toFixed(0).padStart(7)}/s`,
    );
    console.log(
      `  target ≥ 3 000 msg/s: ${brokerRate.delivered >= 3000 ? "met" : "NOT met"} (${((100 * brokerRate.delivered) / relayRate.delivered).toFixed(0)} % of the relay)`,
    );

    // 3. Memory of 1 000 connected peers, on an instance that has done nothing else.
    const fresh = await startClaudemeshServer({ databaseUrl: postgres.url });
    servers.push(fresh);
    const members = [...senders, ...receivers];
    // Mesh m has members m, m + 4, m + 8, … (mod 20): five different ones, each member in 12 or 13 meshes.
    const meshMembers = (m: number) =>
      Array.from({ length: MEMBERS_PER_MESH }, (_, j) => members[(m + 4 * j) % members.length] as Member);
    const meshes: { id: string; members: Member[] }[] = [];
    for (let m = 0; m < PEER_MESHES; m += 1) {
      const [first, ...rest] = meshMembers(m) as [Member, ...Member[]];
      meshes.push({ id: await meshOf(a, first, rest), members: [first, ...rest] });
    }
    // Each token opens at most SESSIONS_PER_TOKEN sockets: each member gets as many tokens as their sessions need.
    const tokens = new Map<Member, { token: string; used: number }[]>();
    const tokenFor = async (member: Member) => {
      const own = tokens.get(member) ?? [];
      tokens.set(member, own);
      let free = own.find((token) => token.used < SESSIONS_PER_TOKEN);
      if (!free) {
        free = { token: (await a.createPat(member.cookie, `peers ${own.length}`)).token, used: 0 };
        own.push(free);
      }
      free.used += 1;
      return free.token;
    };
    const plan: { mesh: string; member: Member }[] = [];
    for (const mesh of meshes) {
      for (const member of mesh.members) {
        for (let s = 0; s < SESSIONS_PER_MESH_MEMBER; s += 1) {
          plan.push({ mesh: mesh.id, member: { ...member, token: await tokenFor(member) } });
        }
      }
    }
    // One peer comes and goes first, so what loads on first use is in the "before" figure.
    const [warm] = plan as [(typeof plan)[number]];
    (await brokerPeer(fresh, warm.mesh, warm.member, () => {})).close();
    const serverBefore = await settledResident(fresh.pid);
    const peers: WebSocket[] = [];
    for (let at = 0; at < plan.length; at += 50) {
      const opening = plan
        .slice(at, at + 50)
        .map(({ mesh, member }) => brokerPeer(fresh, mesh, member, () => {}, { visible: true }));
      peers.push(...(await Promise.all(opening)));
    }
    const serverAfter = await settledResident(fresh.pid);

    const relayBefore = await settledResident(relay.child.pid);
    const relayPeers: WebSocket[] = [];
    for (let i = 0; i < peers.length; i += 1) relayPeers.push(await relayPeer(relay.url, `peer-${i}`, () => {}));
    const relayAfter = await settledResident(relay.child.pid);
    const growth = (serverAfter - serverBefore) / MB;
    console.log(
      `\n${peers.length} connected peers on one instance (${meshes.length} meshes of ${MEMBERS_PER_MESH * SESSIONS_PER_MESH_MEMBER} peers, all visible)`,
    );
    console.log("                       RSS before   after    growth");
    for (const [name, before, after] of [
      ["broker", serverBefore, serverAfter],
      ["bare ws relay", relayBefore, relayAfter],
    ] as const) {
      console.log(
        `  ${name.padEnd(18)} ${(before / MB).toFixed(0).padStart(7)} MB ${(after / MB).toFixed(0).padStart(5)} MB ${((after - before) / MB).toFixed(1).padStart(7)} MB`,
      );
    }
    console.log(`  target growth ≤ 100 MB: ${growth <= 100 ? "met" : "NOT met"} (${growth.toFixed(1)} MB)`);
    for (const socket of [...peers, ...relayPeers]) socket.terminate();
    console.log(
      `\nload average (1, 5, 15 min): ${loadavg()
        .map((load) => load.toFixed(1))
        .join(", ")} on ${cpus().length} cores`,
    );
  } finally {
    relay.child.kill("SIGTERM");
    await Promise.all(servers.map((server) => server.stop()));
    await postgres.stop();
  }
  process.exit(0);
}

await main();
