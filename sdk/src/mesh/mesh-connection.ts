import { randomBytes, randomUUID } from "node:crypto";
import { arch, platform } from "node:os";
import type { WebSocket } from "ws";
import type * as z from "zod";
import { normalizeBaseUrl } from "../api/client.js";
import {
  BROKER_CLOSE,
  BrokerFrame,
  MAX_MESSAGE_BODY_BYTES,
  type MessageFrame,
  type Peer,
  type PeerFrame,
  type PeerKind,
  type Recipient,
  type WelcomeFrame,
} from "../contracts/broker.js";
import { ErrorCode } from "../contracts/errors.js";
import { neutralizeStrings } from "../contracts/neutral-text.js";
import { readSdkEnv, type SdkEnv } from "../env.js";
import { ClaudemeshError, ExitStatus } from "../errors.js";
import { SDK_VERSION } from "../version.js";
import { openBrokerSocket } from "./broker-socket.js";
import { nextReconnectDelay, type ReconnectOptions } from "./reconnect.js";

/** Who this connection is in the mesh, as the `hello` frame says it. */
export interface MeshHello {
  /** This connection's name, kept across reconnects; a random one when left out. */
  session_id?: string;
  kind: PeerKind;
  display_name?: string;
  /** The role this session was launched with (`launch --role reviewer`). */
  role?: string;
  host?: string;
  /** False for short-lived commands (`send`, `inbox`): not announced, not in peer lists. Default true. */
  visible?: boolean;
}

export interface MeshConnectionOptions {
  /** The server's origin, as the ApiClient takes it. */
  apiUrl: string;
  /** A `cm_…` token: the same bearer as `/api/my/*`. */
  token: string;
  /** Mesh id or slug. */
  mesh: string;
  hello: MeshHello;
  /** Aborting closes the connection (and fails `open` with `cancelled` if it has not opened yet). */
  signal?: AbortSignal;
  /** Whether and how to come back after a dropped connection; default on, with backoff. */
  reconnect?: boolean | ReconnectOptions;
  /** Appended to the User-Agent, e.g. `claudemesh-cli/0.11.0`. */
  client?: string;
  /** Environment to read proxy settings from (HTTPS_PROXY, HTTP_PROXY, NO_PROXY); default process.env. */
  env?: SdkEnv;
}

/** The broker's answer to `hello`: the mesh, this connection as others see it, and who else is online. */
export type MeshWelcome = Omit<z.infer<typeof WelcomeFrame>, "type">;
/** A message from a peer. `body` is exactly as sent: neutralize it before showing it to anyone. */
export type MeshMessage = Omit<MessageFrame, "type">;
/** What `send` resolves with: the broker stored it (or dropped it by the recipient's grants, which it does not say). */
export interface SentMessage {
  message_id: string;
  client_ref: string;
}

/** Something that happened to the connection, for whoever shows its state. */
export type MeshEvent =
  | { type: "presence"; peer: Peer; online: boolean }
  /** The connection dropped; the next attempt comes after `delayMs`. */
  | { type: "reconnecting"; attempt: number; delayMs: number; error: ClaudemeshError }
  | { type: "reconnected"; welcome: MeshWelcome }
  /** The broker refused a frame that named no message of ours. */
  | { type: "refused"; error: ClaudemeshError }
  /** The connection ended for good: `error` is undefined when `close()` ended it. */
  | { type: "closed"; error: ClaudemeshError | undefined };

type HelloMessage = Extract<PeerFrame, { type: "hello" }>;

interface PendingSend {
  frame: Extract<PeerFrame, { type: "send" }>;
  resolve(sent: SentMessage): void;
  reject(error: ClaudemeshError): void;
}

/** Message ids remembered for de-duplication; older ones are forgotten first. */
const REMEMBERED_MESSAGES = 10_000;
/** The broker takes at most this many ids in one ack frame. */
const ACKS_PER_FRAME = 500;
/** A socket that answers no ping for this long is taken for dead and replaced. */
const PING_INTERVAL_MS = 30_000;
/** How long `close()` waits for the broker to say the last acks are stored. */
const ACK_CONFIRM_MS = 5_000;

/**
 * A live connection to one mesh through the server's broker: the peers online,
 * messages in and out. Messages are delivered at least once; this connection
 * drops the repeats (by `message_id`) and acks each one after its consumer has
 * taken it. A dropped connection comes back with backoff, resending what was
 * not yet confirmed under the same `client_ref` (the broker stores it once).
 * It stops for good when the credential ends (4001, a ClaudemeshError with
 * the authentication exit status), when the member leaves the mesh (4003) or
 * when another connection takes its session id (4009).
 *
 * @example
 * const mesh = await MeshConnection.open({ apiUrl, token, mesh: "platform", hello: { kind: "cli" } });
 * await mesh.send({ member_id: "u_123" }, "build is green");
 * for await (const message of mesh.messages()) console.log(message.from.display_name, message.body);
 */
export class MeshConnection {
  readonly #options: MeshConnectionOptions;
  readonly #hello: HelloMessage;
  readonly #reconnect: ReconnectOptions | false;
  readonly #userAgent: string;
  #socket: WebSocket | undefined;
  #welcome: MeshWelcome;
  readonly #peers = new Map<string, Peer>();
  readonly #pendingSends = new Map<string, PendingSend>();
  readonly #inbox: MeshMessage[] = [];
  /** Every message seen lately, and whether its consumer has taken it (then a repeat is acked again). */
  readonly #seen = new Map<string, "buffered" | "taken">();
  readonly #acksToSend = new Set<string>();
  #ackFlushQueued = false;
  /** The last id acked on this socket that the broker has not confirmed storing. */
  #unconfirmedAck: string | undefined;
  #onAcked: (() => void) | undefined;
  readonly #waiters = new Set<() => void>();
  readonly #listeners = new Set<(event: MeshEvent) => void>();
  #ended: { error: ClaudemeshError | undefined } | undefined;
  #isSynced = false;
  #markSynced: () => void = () => {};
  #markClosed: (error: ClaudemeshError | undefined) => void = () => {};

  /** Resolves once every message queued for this member when it first connected has arrived. */
  readonly synced: Promise<void>;
  /** Resolves when the connection has ended for good: with the reason, or undefined after `close()`. */
  readonly closed: Promise<ClaudemeshError | undefined>;

  private constructor(options: MeshConnectionOptions, socket: WebSocket, welcome: MeshWelcome, hello: HelloMessage) {
    this.#options = options;
    this.#hello = hello;
    this.#reconnect = options.reconnect === false ? false : options.reconnect === true ? {} : (options.reconnect ?? {});
    this.#userAgent = userAgentOf(options.client);
    this.#welcome = welcome;
    this.synced = new Promise((resolve) => {
      this.#markSynced = resolve;
    });
    this.closed = new Promise((resolve) => {
      this.#markClosed = resolve;
    });
    this.#replacePeers(welcome.peers);
    this.#adopt(socket);
    options.signal?.addEventListener("abort", () => void this.close(), { once: true });
  }

  /**
   * Connects, says hello and resolves on the broker's welcome. A refused upgrade
   * (401, 403, 404) or a first attempt that fails rejects with a ClaudemeshError:
   * reconnecting is for connections that were up.
   */
  static async open(options: MeshConnectionOptions): Promise<MeshConnection> {
    const apiUrl = normalizeBaseUrl(options.apiUrl);
    const hello = helloFrame(options.hello);
    const normalized = { ...options, apiUrl };
    const { socket, welcome, early } = await handshake(normalized, hello, userAgentOf(options.client));
    const connection = new MeshConnection(normalized, socket, welcome, hello);
    for (const frame of early) connection.#onFrame(frame);
    return connection;
  }

  /** The latest welcome: refreshed on every reconnect. */
  get welcome(): MeshWelcome {
    return this.#welcome;
  }

  /** The peers online now, this connection's own session aside. */
  peers(): Peer[] {
    return [...this.#peers.values()];
  }

  /**
   * Sends `body` (opaque to the broker, at most 64 KB) to one member, one of
   * their sessions, or `@all`. Resolves when the broker has stored it, which may
   * be after a reconnect; rejects when the broker refuses it or the connection ends.
   */
  send(to: Recipient, body: string, options: { signal?: AbortSignal } = {}): Promise<SentMessage> {
    if (this.#ended) return Promise.reject(this.#endError());
    if (Buffer.byteLength(JSON.stringify(body), "utf8") > MAX_MESSAGE_BODY_BYTES) {
      return Promise.reject(
        new ClaudemeshError("payload_too_large", `A message may be at most ${MAX_MESSAGE_BODY_BYTES / 1024} KB.`),
      );
    }
    const clientRef = randomUUID();
    const frame = { type: "send", client_ref: clientRef, to, body } as const;
    return new Promise<SentMessage>((resolve, reject) => {
      const onAbort = () => {
        this.#pendingSends.delete(clientRef);
        reject(new ClaudemeshError("cancelled", "Cancelled."));
      };
      options.signal?.addEventListener("abort", onAbort, { once: true });
      const settle =
        <T>(then: (value: T) => void) =>
        (value: T) => {
          options.signal?.removeEventListener("abort", onAbort);
          this.#pendingSends.delete(clientRef);
          then(value);
        };
      this.#pendingSends.set(clientRef, { frame, resolve: settle(resolve), reject: settle(reject) });
      this.#write(frame);
    });
  }

  /**
   * The messages for this member, in order of arrival, each once. A message is
   * acked when the loop asks for the next one or stops, so one the consumer
   * never finished with comes again on the next connection. With
   * `queuedOnly`, the loop ends once the messages queued before this
   * connection (those before `synced`) are all taken; otherwise it ends when
   * the connection does, throwing the reason if it ended by error.
   */
  async *messages(options: { queuedOnly?: boolean; signal?: AbortSignal } = {}): AsyncGenerator<MeshMessage> {
    let taken: string | undefined;
    try {
      for (;;) {
        if (taken !== undefined) this.#ack(taken);
        taken = undefined;
        const next = this.#inbox.shift();
        if (next) {
          this.#seen.set(next.message_id, "taken");
          taken = next.message_id;
          yield next;
          continue;
        }
        if (this.#ended) {
          if (this.#ended.error) throw this.#ended.error;
          return;
        }
        if (options.queuedOnly && this.#isSynced) return;
        if (options.signal?.aborted) return;
        await this.#nextChange(options.signal);
      }
    } finally {
      if (taken !== undefined) this.#ack(taken);
      this.#flushAcks();
    }
  }

  /** Listens to presence and connection events; returns what stops listening. */
  subscribe(listener: (event: MeshEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Ends the connection: acks already due are sent first; sends still waiting fail with `cancelled`. */
  async close(): Promise<void> {
    if (!this.#ended) {
      await this.#confirmAcks();
      this.#end(undefined);
      const socket = this.#socket;
      this.#socket = undefined;
      if (socket && socket.readyState === socket.OPEN) {
        const gone = new Promise<void>((resolve) => socket.once("close", () => resolve()));
        socket.close(1000);
        await gone;
      } else socket?.terminate();
    }
    await this.closed;
  }

  // ── the socket ────────────────────────────────────────────────────────────

  #adopt(socket: WebSocket): void {
    this.#socket = socket;
    let answeredPing = true;
    const ping = setInterval(() => {
      if (!answeredPing) {
        socket.terminate();
        return;
      }
      answeredPing = false;
      socket.ping();
    }, PING_INTERVAL_MS);
    ping.unref();
    socket.on("pong", () => {
      answeredPing = true;
    });
    socket.on("message", (data, isBinary) => {
      answeredPing = true;
      const frame = isBinary ? undefined : parseFrame(String(data));
      if (frame) this.#onFrame(frame);
    });
    socket.on("error", () => {
      // Always followed by `close`, which decides what happens next.
    });
    socket.once("close", (code, reason) => {
      clearInterval(ping);
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      void this.#onDrop(closeError(code, reason.toString(), this.#options.mesh));
    });
    // Acks on the old socket were stored or are due again (a repeat is acked anew).
    this.#unconfirmedAck = undefined;
    // Whatever waited for a socket goes out now, in the order it was asked for.
    for (const pending of this.#pendingSends.values()) this.#write(pending.frame);
    this.#ackFlushQueued = false;
    this.#flushAcks();
  }

  async #onDrop(error: ClaudemeshError): Promise<void> {
    if (this.#ended) return;
    if (this.#reconnect === false || isFinal(error)) {
      this.#end(error);
      return;
    }
    for (let attempt = 1; !this.#ended; attempt += 1) {
      const delayMs = nextReconnectDelay(attempt, this.#reconnect, error);
      this.#emit({ type: "reconnecting", attempt, delayMs, error });
      if (!(await this.#pause(delayMs))) return;
      try {
        const { socket, welcome, early } = await handshake(this.#options, this.#hello, this.#userAgent);
        if (this.#ended) {
          socket.terminate();
          return;
        }
        this.#welcome = welcome;
        this.#replacePeers(welcome.peers);
        this.#adopt(socket);
        for (const frame of early) this.#onFrame(frame);
        this.#emit({ type: "reconnected", welcome });
        return;
      } catch (failure) {
        error = failure instanceof ClaudemeshError ? failure : new ClaudemeshError("network", String(failure));
        if (isFinal(error) || error.code === "cancelled") {
          this.#end(error.code === "cancelled" ? undefined : error);
          return;
        }
      }
    }
  }

  /** Waits before the next attempt; false when the connection was closed meanwhile. */
  #pause(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(true), ms);
      void this.closed.then(() => {
        clearTimeout(timer);
        resolve(false);
      });
    });
  }

  #write(frame: PeerFrame): void {
    const socket = this.#socket;
    if (socket && socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  }

  // ── frames ────────────────────────────────────────────────────────────────

  #onFrame(frame: BrokerFrame): void {
    switch (frame.type) {
      case "welcome":
        // Only a handshake expects one; a stray one changes nothing.
        return;
      case "synced":
        this.#isSynced = true;
        this.#markSynced();
        this.#wake();
        return;
      case "acked":
        this.#unconfirmedAck = undefined;
        this.#onAcked?.();
        return;
      case "sent":
        this.#pendingSends
          .get(frame.client_ref)
          ?.resolve({ message_id: frame.message_id, client_ref: frame.client_ref });
        return;
      case "message": {
        const seen = this.#seen.get(frame.message_id);
        // A repeat of one already taken means our ack was lost: ack it again.
        if (seen === "taken") this.#ack(frame.message_id);
        if (seen) return;
        this.#remember(frame.message_id);
        const { type: _type, ...message } = frame;
        this.#inbox.push(message);
        this.#wake();
        return;
      }
      case "presence": {
        const key = peerKey(frame.peer);
        if (key === peerKey(this.#welcome.you)) return;
        if (frame.online) this.#peers.set(key, frame.peer);
        else this.#peers.delete(key);
        this.#emit({ type: "presence", peer: frame.peer, online: frame.online });
        return;
      }
      case "error": {
        const error = new ClaudemeshError(knownCode(frame.error), frame.message);
        const pending = frame.ref === undefined ? undefined : this.#pendingSends.get(frame.ref);
        if (pending) pending.reject(error);
        else this.#emit({ type: "refused", error });
        return;
      }
    }
  }

  #replacePeers(peers: readonly Peer[]): void {
    this.#peers.clear();
    const you = peerKey(this.#welcome.you);
    for (const peer of peers) if (peerKey(peer) !== you) this.#peers.set(peerKey(peer), peer);
  }

  #remember(messageId: string): void {
    this.#seen.set(messageId, "buffered");
    if (this.#seen.size <= REMEMBERED_MESSAGES) return;
    for (const [id, state] of this.#seen) {
      // Never forget one still waiting for its consumer: it would be taken twice.
      if (state === "taken") {
        this.#seen.delete(id);
        return;
      }
    }
  }

  // ── acks ──────────────────────────────────────────────────────────────────

  #ack(messageId: string): void {
    this.#acksToSend.add(messageId);
    if (this.#ackFlushQueued) return;
    this.#ackFlushQueued = true;
    // One frame for every message taken in the same turn.
    queueMicrotask(() => {
      this.#ackFlushQueued = false;
      this.#flushAcks();
    });
  }

  #flushAcks(): void {
    const socket = this.#socket;
    if (!socket || socket.readyState !== socket.OPEN || this.#acksToSend.size === 0) return;
    const ids = [...this.#acksToSend];
    this.#acksToSend.clear();
    for (let start = 0; start < ids.length; start += ACKS_PER_FRAME) {
      this.#write({ type: "ack", message_ids: ids.slice(start, start + ACKS_PER_FRAME) });
    }
    this.#unconfirmedAck = ids.at(-1);
  }

  /**
   * Sends the acks still due, then waits (at most ACK_CONFIRM_MS) until the broker says
   * they are stored. The broker keeps an ack that came before a close, but stores it
   * after the socket is gone: without the wait, a reader that reconnects at once
   * (`inbox` twice) could be handed what it just read.
   */
  async #confirmAcks(): Promise<void> {
    this.#flushAcks();
    const socket = this.#socket;
    const last = this.#unconfirmedAck;
    if (!socket || socket.readyState !== socket.OPEN || last === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => {
        this.#onAcked = resolve;
        // Frames on a socket are handled in order: this answer covers every ack before it.
        this.#write({ type: "ack", message_ids: [last], confirm: true });
      }),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ACK_CONFIRM_MS);
      }),
      new Promise<void>((resolve) => socket.once("close", () => resolve())),
    ]);
    clearTimeout(timer);
    this.#onAcked = undefined;
  }

  // ── the end ───────────────────────────────────────────────────────────────

  #end(error: ClaudemeshError | undefined): void {
    if (this.#ended) return;
    this.#ended = { error };
    const failure = this.#endError();
    for (const pending of [...this.#pendingSends.values()]) pending.reject(failure);
    this.#markClosed(error);
    this.#emit({ type: "closed", error });
    this.#wake();
  }

  #endError(): ClaudemeshError {
    return this.#ended?.error ?? new ClaudemeshError("cancelled", "The mesh connection was closed.");
  }

  #nextChange(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.#waiters.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      this.#waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  #emit(event: MeshEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the connection goes on.
      }
    }
  }
}

// ── one connection attempt ─────────────────────────────────────────────────

interface Handshake {
  socket: WebSocket;
  welcome: MeshWelcome;
  /** Frames that came in the same breath as the welcome (queued messages, synced). */
  early: BrokerFrame[];
}

/** Opens a socket, says hello and waits for the welcome; the socket is closed again on any failure. */
async function handshake(options: MeshConnectionOptions, hello: HelloMessage, userAgent: string): Promise<Handshake> {
  const socket = await openBrokerSocket({
    apiUrl: options.apiUrl,
    token: options.token,
    mesh: options.mesh,
    userAgent,
    env: options.env ?? readSdkEnv(),
    signal: options.signal,
  });
  return new Promise<Handshake>((resolve, reject) => {
    let welcome: MeshWelcome | undefined;
    const early: BrokerFrame[] = [];
    const finish = (error?: ClaudemeshError) => {
      socket.off("message", onMessage);
      socket.off("close", onClose);
      options.signal?.removeEventListener("abort", onAbort);
      if (error || !welcome) {
        socket.on("error", () => {});
        socket.terminate();
        reject(error ?? new ClaudemeshError("bad_response", "The broker sent no welcome."));
        return;
      }
      resolve({ socket, welcome, early });
    };
    const onMessage = (data: unknown, isBinary: boolean) => {
      const frame = isBinary ? undefined : parseFrame(String(data));
      if (!frame) return;
      if (frame.type === "welcome") {
        const { type: _type, ...rest } = frame;
        welcome = rest;
        // Frames already read in the same chunk are handled before anything else can run.
        queueMicrotask(() => finish());
      } else if (frame.type === "error" && !welcome) {
        finish(new ClaudemeshError(knownCode(frame.error), frame.message));
      } else if (welcome) {
        early.push(frame);
      }
    };
    const onClose = (code: number, reason: Buffer) => finish(closeError(code, reason.toString(), options.mesh));
    const onAbort = () => finish(new ClaudemeshError("cancelled", "Cancelled."));
    socket.on("message", onMessage);
    socket.once("close", onClose);
    socket.on("error", () => {});
    options.signal?.addEventListener("abort", onAbort, { once: true });
    socket.send(JSON.stringify(hello));
  });
}

// ── small pieces ───────────────────────────────────────────────────────────

function helloFrame(hello: MeshHello): HelloMessage {
  return {
    type: "hello",
    // 16 random bytes: unguessable, and within SessionId's letters.
    session_id: hello.session_id ?? randomBytes(16).toString("base64url"),
    kind: hello.kind,
    ...(hello.display_name === undefined ? {} : { display_name: hello.display_name }),
    ...(hello.role === undefined ? {} : { role: hello.role }),
    ...(hello.host === undefined ? {} : { host: hello.host }),
    visible: hello.visible ?? true,
  };
}

function userAgentOf(client: string | undefined): string {
  return `claudemesh-sdk/${SDK_VERSION} (${platform()}; ${arch()})${client ? ` ${client}` : ""}`;
}

/**
 * A frame from the broker, every string neutral but the body (opaque, maybe
 * ciphertext one day; whoever shows it neutralizes it); undefined for what is
 * not a frame this SDK knows (a newer broker's), which is skipped.
 */
function parseFrame(text: string): BrokerFrame | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = BrokerFrame.safeParse(json);
  if (!parsed.success) return undefined;
  if (parsed.data.type !== "message") return neutralizeStrings(parsed.data);
  return { ...neutralizeStrings(parsed.data), body: parsed.data.body };
}

function peerKey(peer: Pick<Peer, "member_id" | "session_id">): string {
  return `${peer.member_id}\u0000${peer.session_id}`;
}

function knownCode(code: string): ErrorCode {
  const known = ErrorCode.safeParse(code);
  return known.success ? known.data : "invalid_input";
}

/** Why a socket closed, as an error; the broker's own codes say whether coming back makes sense. */
function closeError(code: number, reason: string, mesh: string): ClaudemeshError {
  switch (code) {
    case BROKER_CLOSE.credentialEnded:
      return new ClaudemeshError(
        "token_revoked",
        "The server ended the mesh connection: the token was revoked or has expired.",
      );
    case BROKER_CLOSE.notMember:
      return new ClaudemeshError("forbidden", `You are no longer a member of the mesh ${mesh}.`);
    case BROKER_CLOSE.replaced:
      return new ClaudemeshError("conflict", "Another connection took this session id.");
    case BROKER_CLOSE.rateLimited:
      return new ClaudemeshError("rate_limited", "The broker asked this connection to slow down.");
    case 1009:
      return new ClaudemeshError("payload_too_large", "The broker closed the connection: a frame was too large.");
    default:
      return new ClaudemeshError("network", `The mesh connection closed (${code}${reason ? ` ${reason}` : ""}).`);
  }
}

/** Errors no retry can mend: a credential that ended, a mesh left or gone, a session id taken over. */
function isFinal(error: ClaudemeshError): boolean {
  return (
    error.exitStatus === ExitStatus.auth ||
    error.code === "forbidden" ||
    error.code === "not_found" ||
    error.code === "conflict" ||
    error.code === "invalid_input"
  );
}
