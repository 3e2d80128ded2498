import { randomUUID } from "node:crypto";
import { type BrokerFrame, brokerPath } from "@claudemesh/sdk/contracts";
import type { RunningServer } from "@claudemesh/test-support/server-process";
import WebSocket from "ws";

// Raw broker clients for the hardening tests: a `ws` socket speaking the frames
// of sdk/src/contracts/broker.ts by hand, so the tests see exactly what the broker sends.

/** Long enough for a loaded machine; every wait ends on an event long before. */
export const WAIT_MS = 20_000;

const postJson = (url: string, path: string, body: unknown, token: string) =>
  fetch(new URL(path, url), {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

export interface Member {
  name: string;
  /** The user's id: a member id on the wire. */
  id: string;
  token: string;
  tokenId: string;
  cookie: string;
}

/** A new account with a PAT, on `server`. */
export async function newMember(server: RunningServer, name: string): Promise<Member> {
  const account = await server.signUp(name);
  const pat = await server.createPat(account.cookie, `${name} broker`);
  const whoami = (await (
    await fetch(new URL("/api/my/whoami", server.url), { headers: { authorization: `Bearer ${pat.token}` } })
  ).json()) as { user: { id: string } };
  return { name, id: whoami.user.id, token: pat.token, tokenId: pat.id, cookie: account.cookie };
}

/** A mesh of `owner` that `others` joined through an open invite; its slug. */
export async function meshOf(server: RunningServer, owner: Member, others: Member[]): Promise<string> {
  const created = await postJson(
    server.url,
    "/api/my/meshes",
    { name: `Broker ${randomUUID().slice(0, 8)}` },
    owner.token,
  );
  if (!created.ok) throw new Error(`create mesh: ${created.status} ${await created.text()}`);
  const mesh = (await created.json()) as { id: string; slug: string };
  for (const other of others) {
    const invite = await postJson(server.url, `/api/my/meshes/${mesh.id}/invites`, {}, owner.token);
    const secret = ((await invite.json()) as { url: string }).url.split("/invite/")[1] ?? "";
    const accepted = await postJson(server.url, `/api/invites/${secret}/accept`, {}, other.token);
    if (!accepted.ok) throw new Error(`accept invite: ${accepted.status} ${await accepted.text()}`);
  }
  return mesh.slug;
}

/** A raw peer: every frame it received, and waits on them. */
export class RawPeer {
  readonly frames: BrokerFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #waiters: (() => void)[] = [];

  constructor(readonly socket: WebSocket) {
    socket.on("message", (data, isBinary) => {
      if (!isBinary) this.frames.push(JSON.parse(data.toString()) as BrokerFrame);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on("close", (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const wake of this.#waiters.splice(0)) wake();
      });
    });
    socket.on("error", () => {});
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The first received frame (from `from` on) that matches; fails after WAIT_MS or if the socket closes first. */
  async next<T extends BrokerFrame["type"]>(
    type: T,
    match: (frame: Extract<BrokerFrame, { type: T }>) => boolean = () => true,
    from = 0,
    waitMs = WAIT_MS,
  ): Promise<Extract<BrokerFrame, { type: T }>> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const found = this.frames
        .slice(from)
        .find((frame): frame is Extract<BrokerFrame, { type: T }> => frame.type === type && match(frame as never));
      if (found) return found;
      if (this.socket.readyState === WebSocket.CLOSED)
        throw new Error(`closed before a ${type} frame: ${JSON.stringify(this.frames)}`);
      if (Date.now() > deadline)
        throw new Error(`no ${type} frame within ${waitMs} ms: ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The message frames received so far. */
  messages() {
    return this.frames.filter((frame): frame is Extract<BrokerFrame, { type: "message" }> => frame.type === "message");
  }

  close(): Promise<{ code: number; reason: string }> {
    this.socket.close(1000);
    return this.closed;
  }
}

/** Opens a socket to the broker; resolves once open, or rejects with the HTTP status of a refused upgrade. */
export function openSocket(serverUrl: string, mesh: string, token: string | null): Promise<RawPeer> {
  const url = new URL(brokerPath(mesh), serverUrl.replace(/^http/, "ws"));
  const socket = new WebSocket(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return new Promise((resolve, reject) => {
    const peer = new RawPeer(socket);
    socket.once("open", () => resolve(peer));
    socket.once("unexpected-response", (_request, response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on("end", () =>
        reject(
          Object.assign(new Error(`upgrade refused: ${response.statusCode}`), { status: response.statusCode, body }),
        ),
      );
    });
    socket.once("error", reject);
  });
}

/** A peer that said hello and got `welcome` and `synced`. */
export async function connectPeer(
  serverUrl: string,
  mesh: string,
  member: Member,
  hello: { session_id?: string; visible?: boolean; display_name?: string } = {},
): Promise<RawPeer> {
  const peer = await openSocket(serverUrl, mesh, member.token);
  peer.send({
    type: "hello",
    session_id: hello.session_id ?? `s-${randomUUID()}`,
    kind: "cli",
    display_name: hello.display_name ?? member.name,
    visible: hello.visible ?? true,
  });
  await peer.next("welcome");
  await peer.next("synced");
  return peer;
}

/** Sends a message and waits for the broker's `sent`; its message id. */
export async function sendMessage(peer: RawPeer, to: unknown, body: string, clientRef = randomUUID()): Promise<string> {
  peer.send({ type: "send", client_ref: clientRef, to, body });
  const sent = await peer.next("sent", (frame) => frame.client_ref === clientRef);
  return sent.message_id;
}
