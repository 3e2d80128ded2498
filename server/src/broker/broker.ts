import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import {
  BROKER_CLOSE,
  type BrokerFrame,
  MAX_FRAME_BYTES,
  type MessageFrame,
  type Peer,
  PeerFrame,
} from "@claudemesh/sdk/contracts";
import { and, gt, inArray, isNull, or } from "drizzle-orm";
import { type WebSocket, WebSocketServer } from "ws";
import type { z } from "zod";
import type { Database, Db } from "../db/database.js";
import { cliToken, meshMember } from "../db/schema.js";
import { log } from "../log.js";
import { recordTokenUse, useRecordedRecently } from "../tokens/token-store.js";
import { describeIssues } from "../validation.js";
import {
  ackMessages,
  BROKER_CHANNEL,
  type BrokerNotice,
  DELIVERY_LIMITS,
  deleteExpiredMessages,
  notify,
  pendingFor,
  type StoredMessage,
  stillPending,
} from "./delivery.js";
import type { BrokerMetrics } from "./metrics.js";
import {
  beatAndExpire,
  type ConnectionRow,
  closeConnection,
  connectionsOfToken,
  HEARTBEAT_INTERVAL_MS,
  openConnection,
  peerOf,
  registerInstance,
  visiblePeers,
} from "./presence.js";
import { SendBatches } from "./send-batches.js";
import type { Admission } from "./upgrade.js";

/** Per-peer limits (docs/broker.md). */
export const PEER_LIMITS = {
  /** A socket that has not said hello by then is closed (1008). */
  helloTimeoutMs: 5_000,
  /** Sends per second a socket may keep up, and the burst it may save up. */
  messagesPerSecond: 100,
  messageBurst: 200,
  /** Frames read but not yet handled: past this, sends are refused like a burst (memory stays bounded). */
  framesInFlight: 64,
  /** Refused sends before the socket is closed (4029); the count starts again after 10 s without one. */
  refusalsBeforeClose: 200,
  /** Malformed frames on one socket before it is closed (1008). */
  malformedBeforeClose: 20,
  /** Open connections per token, over every instance. */
  connectionsPerToken: 20,
  /** How often each instance checks its sockets' tokens and memberships (revocation ends a socket within 1 s). */
  credentialCheckMs: 500,
  /** How often old messages are deleted. */
  cleanupMs: 10 * 60 * 1000,
} as const;

type HelloFrame = Extract<z.output<typeof PeerFrame>, { type: "hello" }>;
type SendFrame = Extract<z.output<typeof PeerFrame>, { type: "send" }>;

/**
 * The broker of one instance: its WebSockets, the LISTEN that joins it to the
 * other instances, and the timers that keep presence and credentials honest.
 * Everything another instance needs is in Postgres; a socket's own state is here.
 */
export class Broker {
  readonly instanceId = randomUUID();
  readonly #database: Database;
  readonly #db: Db;
  readonly #metrics: BrokerMetrics;
  readonly #now: () => Date;
  readonly #sockets = new Set<PeerConnection>();
  /** Sockets past hello, by `meshId memberId` and by mesh: where notices and hand-offs go, without a walk over every socket. */
  readonly #byMember = new SocketIndex();
  readonly #byMesh = new SocketIndex();
  readonly sends: SendBatches;
  readonly #server = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  readonly #timers: NodeJS.Timeout[] = [];
  #unlisten: (() => Promise<void>) | undefined;
  #checking = false;

  constructor(deps: { database: Database; metrics: BrokerMetrics; now?: () => Date }) {
    this.#database = deps.database;
    this.#db = deps.database.db;
    this.#metrics = deps.metrics;
    this.#now = deps.now ?? (() => new Date());
    this.sends = new SendBatches({
      db: this.#db,
      metrics: this.#metrics,
      origin: this.instanceId,
      onStored: (stored) => this.#handOff(stored),
    });
  }

  get db(): Db {
    return this.#db;
  }
  get metrics(): BrokerMetrics {
    return this.#metrics;
  }
  now(): Date {
    return this.#now();
  }

  /** Registers this instance and starts listening; call before accepting sockets. */
  async start(): Promise<void> {
    await registerInstance(this.#db, this.instanceId, this.#now());
    this.#unlisten = await this.#database.listen(
      BROKER_CHANNEL,
      (payload) => this.#onNotice(payload),
      // Notices sent while the LISTEN was down were missed: every socket reads its queue again.
      () => {
        for (const socket of this.#sockets) void socket.pump();
      },
    );
    this.#every(HEARTBEAT_INTERVAL_MS, () => this.#heartbeat());
    this.#every(PEER_LIMITS.credentialCheckMs, () => this.#checkCredentials());
    this.#every(PEER_LIMITS.cleanupMs, () => deleteExpiredMessages(this.#db, this.#now()));
    await deleteExpiredMessages(this.#db, this.#now());
  }

  /** Opens the WebSocket for an admitted upgrade (see upgrade.ts). */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer, admission: Admission): void {
    this.#server.handleUpgrade(request, socket, head, (ws) => {
      const connection = new PeerConnection(this, ws, admission);
      this.#sockets.add(connection);
      this.#metrics.connections.set(this.#sockets.size);
      ws.once("close", () => {
        this.#sockets.delete(connection);
        if (connection.row) {
          this.#byMember.remove(memberKey(connection.row), connection);
          this.#byMesh.remove(connection.row.meshId, connection);
        }
        this.#metrics.connections.set(this.#sockets.size);
      });
    });
  }

  /** Closes every socket (1012: come back, to this or another instance) and forgets this instance's presence. */
  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    const sockets = [...this.#sockets];
    for (const socket of sockets) socket.close(1012, "server restarting");
    // A peer that does not answer the closing handshake is not waited for past 2 s.
    const grace = setTimeout(() => {
      for (const socket of sockets) socket.terminate();
    }, 2_000);
    await Promise.allSettled(sockets.map((socket) => socket.closed));
    clearTimeout(grace);
    await this.#unlisten?.().catch(() => {});
  }

  /** A socket past hello: what this instance stores for its member is handed to it directly. */
  joined(connection: PeerConnection, row: ConnectionRow): void {
    this.#byMember.add(memberKey(row), connection);
    this.#byMesh.add(row.meshId, connection);
  }

  /**
   * Hands messages this instance just stored to its own sockets of their
   * recipients, without reading them back; the other instances hear of them
   * through the notice stored with them.
   */
  #handOff(stored: StoredMessage[]): void {
    for (const message of stored) {
      for (const recipient of message.recipients) {
        for (const socket of this.#byMember.of(`${message.meshId} ${recipient}`)) {
          if (message.recipientSessionId === null || socket.row?.sessionId === message.recipientSessionId) {
            socket.deliver(message.frame);
          }
        }
      }
    }
  }

  /** Tells every instance about a visible connection that came or went. */
  async announce(row: ConnectionRow, online: boolean): Promise<void> {
    if (!row.visible) return;
    await notify(this.#db, { k: "presence", mesh: row.meshId, conn: row.id, online, peer: peerOf(row) });
  }

  #every(ms: number, work: () => Promise<unknown>): void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      work()
        .catch((error: unknown) => log.warn(`broker: ${(error as Error).message}`))
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    this.#timers.push(timer);
  }

  async #heartbeat(): Promise<void> {
    const gone = await beatAndExpire(this.#db, this.instanceId, this.#now());
    for (const row of gone) await this.announce(row, false);
  }

  /**
   * Closes the sockets whose token was revoked or expired (4001) or whose member
   * left the mesh (4003); a connected token counts as used, as a request would.
   */
  async #checkCredentials(): Promise<void> {
    if (this.#sockets.size === 0 || this.#checking) return;
    this.#checking = true;
    try {
      const now = this.#now();
      const sockets = [...this.#sockets];
      const tokenIds = [...new Set(sockets.map((socket) => socket.admission.caller.tokenId))];
      const userIds = [...new Set(sockets.map((socket) => socket.admission.caller.user.id))];
      const [tokens, memberships] = await Promise.all([
        this.#db
          .select()
          .from(cliToken)
          .where(
            and(
              inArray(cliToken.id, tokenIds),
              isNull(cliToken.revokedAt),
              or(isNull(cliToken.expiresAt), gt(cliToken.expiresAt, now)),
            ),
          ),
        this.#db
          .select({ meshId: meshMember.meshId, userId: meshMember.userId })
          .from(meshMember)
          .where(inArray(meshMember.userId, userIds)),
      ]);
      const live = new Set(tokens.map((token) => token.id));
      const members = new Set(memberships.map((row) => `${row.meshId} ${row.userId}`));
      for (const socket of sockets) {
        const { caller, mesh } = socket.admission;
        if (!live.has(caller.tokenId)) socket.end(BROKER_CLOSE.credentialEnded, "credential ended: sign in again");
        else if (!members.has(`${mesh.id} ${caller.user.id}`)) socket.end(BROKER_CLOSE.notMember, "not a member");
      }
      for (const token of tokens) if (!useRecordedRecently(token, now)) await recordTokenUse(this.#db, token, now);
    } finally {
      this.#checking = false;
    }
  }

  #onNotice(payload: string): void {
    let notice: BrokerNotice;
    try {
      notice = JSON.parse(payload) as BrokerNotice;
    } catch {
      return;
    }
    if (notice.k === "kick") {
      for (const socket of this.#sockets) {
        if (socket.row?.id === notice.conn) socket.close(BROKER_CLOSE.replaced, "replaced by a newer connection");
      }
    } else if (notice.k === "deliver") {
      // This instance's own sends were handed to its sockets as they were stored.
      if (notice.from === this.instanceId) return;
      const sockets =
        notice.to === null
          ? this.#byMesh.of(notice.mesh)
          : notice.to.flatMap((member) => [...this.#byMember.of(`${notice.mesh} ${member}`)]);
      for (const socket of sockets) void socket.pump();
    } else {
      // One text for every socket of the mesh: a mesh of n peers hears n of these as they connect.
      const text = JSON.stringify({ type: "presence", peer: notice.peer, online: notice.online });
      for (const socket of this.#byMesh.of(notice.mesh)) if (socket.row?.id !== notice.conn) socket.sendText(text);
    }
  }
}

/** Sets of sockets by key; a key whose last socket leaves is forgotten. */
class SocketIndex {
  readonly #sets = new Map<string, Set<PeerConnection>>();

  add(key: string, socket: PeerConnection): void {
    const sockets = this.#sets.get(key) ?? new Set();
    sockets.add(socket);
    this.#sets.set(key, sockets);
  }

  remove(key: string, socket: PeerConnection): void {
    const sockets = this.#sets.get(key);
    if (!sockets?.delete(socket) || sockets.size > 0) return;
    this.#sets.delete(key);
  }

  of(key: string): Iterable<PeerConnection> {
    return this.#sets.get(key) ?? [];
  }
}

function memberKey(row: ConnectionRow): string {
  return `${row.meshId} ${row.memberId}`;
}

/** Past this many messages sent on a socket and not acked, deliveries go through its queue, which trims the list. */
const SENT_BOUND = 2_000;

/** One peer's socket: hello, then sends and acks, in the order they came. */
class PeerConnection {
  readonly admission: Admission;
  /** Set once hello is done; the row other instances see. */
  row: ConnectionRow | undefined;
  readonly closed: Promise<void>;
  readonly #broker: Broker;
  readonly #ws: WebSocket;
  /** Frames are handled one after another, so sends are stored in the order they came. */
  #work: Promise<void> = Promise.resolve();
  readonly #helloTimer: NodeJS.Timeout;
  #malformed = 0;
  #refusals = 0;
  #lastRefusalAt = 0;
  #inFlight = 0;
  #tokens: number = PEER_LIMITS.messageBurst;
  #refilledAt = Date.now();
  /** Messages sent on this socket and not yet acked: not sent again on it. */
  readonly #sent = new Set<string>();
  #draining: Promise<void> | undefined;
  /** `welcome` was sent and its queue is being read: from then on a new message makes it read again. */
  #reading = false;
  /** Its queue was read and `synced` sent: from then on new messages can be handed to it as they are stored. */
  #synced = false;
  #pumpAgain = false;
  #ending = false;
  /** Set when `end` has told the mesh it is gone. */
  #announcedGone = false;
  /** A hello is being handled: frames after it wait their turn instead of being refused. */
  #helloPending = false;

  constructor(broker: Broker, ws: WebSocket, admission: Admission) {
    this.#broker = broker;
    this.#ws = ws;
    this.admission = admission;
    this.#helloTimer = setTimeout(() => this.close(1008, "hello expected"), PEER_LIMITS.helloTimeoutMs);
    this.closed = new Promise((resolve) => {
      ws.once("close", () => {
        this.#ending = true;
        clearTimeout(this.#helloTimer);
        // After the frames in hand, so a hello being stored is not left behind.
        this.#work = this.#work.then(() => this.#forget()).finally(resolve);
      });
    });
    // ws closes with 1009 itself on a frame over maxPayload, and emits the error here.
    ws.on("error", () => {});
    ws.on("message", (data, isBinary) => this.#onMessage(data as Buffer, isBinary));
  }

  send(frame: BrokerFrame): void {
    this.sendText(JSON.stringify(frame));
  }

  /** A frame already written out, for one sent to many sockets. */
  sendText(text: string): void {
    if (this.#ws.readyState === this.#ws.OPEN) this.#ws.send(text);
  }

  close(code: number, reason: string): void {
    this.#ending = true;
    this.#ws.close(code, reason);
  }

  /**
   * Closes a socket whose token or membership ended, and announces it gone at
   * once: the row that would announce it on close may be gone already (a
   * membership's end deletes its connections).
   */
  end(code: number, reason: string): void {
    if (this.#ending) return;
    this.close(code, reason);
    const row = this.row;
    if (!row) return;
    this.#announcedGone = true;
    void this.#broker.announce(row, false).catch(() => {});
  }

  terminate(): void {
    this.#ending = true;
    this.#ws.terminate();
  }

  /**
   * A message just stored for this peer, handed over by its instance. Sent at once
   * when nothing older can be on its way; otherwise the queue is read again, in order.
   */
  deliver(frame: MessageFrame): void {
    // Before welcome, nothing: the first read of its queue, after welcome, finds it.
    if (this.#ending || !this.#reading || this.#sent.has(frame.message_id)) return;
    if (!this.#synced || this.#draining || this.#sent.size >= SENT_BOUND) {
      void this.pump();
      return;
    }
    this.#sent.add(frame.message_id);
    this.send(frame);
  }

  /** Sends what waits for this peer; a call during a run makes it run once more. Resolves when done. */
  pump(): Promise<void> {
    if (!this.row || !this.#reading || this.#ending) return Promise.resolve();
    if (this.#draining) {
      this.#pumpAgain = true;
      return this.#draining;
    }
    this.#draining = this.#drain()
      .catch((error: unknown) => log.warn(`broker: delivery failed: ${(error as Error).message}`))
      .finally(() => {
        this.#draining = undefined;
      });
    return this.#draining;
  }

  async #drain(): Promise<void> {
    const row = this.row;
    if (!row) return;
    do {
      this.#pumpAgain = false;
      for (;;) {
        if (this.#ending) return;
        const frames = await pendingFor(this.#broker.db, {
          meshId: row.meshId,
          memberId: row.memberId,
          sessionId: row.sessionId,
          alreadySent: this.#sent,
        });
        for (const frame of frames) {
          this.#sent.add(frame.message_id);
          this.send(frame);
        }
        // A short batch was everything waiting; what comes later arrives with its own NOTIFY.
        if (frames.length < DELIVERY_LIMITS.pumpBatch) break;
      }
    } while (this.#pumpAgain);
    await this.#forgetAckedElsewhere(row);
  }

  /** Ids acked by another session of the member stay in `#sent`; past a bound, keep only those still waiting. */
  async #forgetAckedElsewhere(row: ConnectionRow): Promise<void> {
    if (this.#sent.size < SENT_BOUND) return;
    const waiting = new Set(await stillPending(this.#broker.db, row.meshId, row.memberId, [...this.#sent]));
    for (const id of this.#sent) if (!waiting.has(id)) this.#sent.delete(id);
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    if (this.#ending) return;
    const frame = this.#parse(data, isBinary);
    if (!frame) return;
    if (!this.row && frame.type !== "hello" && !this.#helloPending) {
      this.close(1008, "say hello first");
      return;
    }
    if (frame.type === "send" && (this.#inFlight >= PEER_LIMITS.framesInFlight || !this.#takeToken())) {
      this.#refuseForRate(frame.client_ref);
      return;
    }
    if (frame.type === "hello") this.#helloPending = true;
    this.#inFlight += 1;
    // A send is in flight until stored; the frames after it need not wait that long, only for it to be queued.
    let done: Promise<void> = Promise.resolve();
    this.#work = this.#work
      .then(async () => {
        done = (await this.#handle(frame)) ?? done;
      })
      .catch((error: unknown) => this.#serverError(error))
      .finally(() => {
        void done.finally(() => {
          this.#inFlight -= 1;
        });
      });
  }

  #serverError(error: unknown): void {
    log.error(`broker: ${(error as Error).message}`);
    this.close(1011, "server error");
  }

  /** The frame, or undefined after answering a malformed one with an error frame. */
  #parse(data: Buffer, isBinary: boolean): z.output<typeof PeerFrame> | undefined {
    if (isBinary) {
      this.#malformedFrame("invalid_input", "Frames are JSON text, not binary.");
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(data.toString("utf8"));
    } catch {
      this.#malformedFrame("invalid_json", "A frame must be one JSON object.");
      return undefined;
    }
    const parsed = PeerFrame.safeParse(value);
    if (parsed.success) return parsed.data;
    const type = (value as { type?: unknown } | null)?.type;
    const known = type === "hello" || type === "send" || type === "ack";
    const ref = (value as { client_ref?: unknown } | null)?.client_ref;
    this.#malformedFrame(
      "invalid_input",
      known ? describeIssues(parsed.error.issues, "frame") : "Unknown frame type: send hello, send or ack.",
      typeof ref === "string" ? ref.slice(0, 64) : undefined,
    );
    return undefined;
  }

  #refuseForRate(clientRef: string): void {
    const now = Date.now();
    if (now - this.#lastRefusalAt > 10_000) this.#refusals = 0;
    this.#lastRefusalAt = now;
    if (++this.#refusals >= PEER_LIMITS.refusalsBeforeClose) {
      this.close(BROKER_CLOSE.rateLimited, "too many messages");
      return;
    }
    const message = `At most ${PEER_LIMITS.messagesPerSecond} messages a second; slow down.`;
    this.send({ type: "error", error: "rate_limited", message, ref: clientRef });
  }

  #malformedFrame(error: string, message: string, ref?: string): void {
    if (++this.#malformed >= PEER_LIMITS.malformedBeforeClose) {
      this.close(1008, "too many malformed frames");
      return;
    }
    this.send({ type: "error", error, message, ...(ref === undefined ? {} : { ref }) });
  }

  #takeToken(): boolean {
    const now = Date.now();
    const rate = PEER_LIMITS.messagesPerSecond / 1000;
    this.#tokens = Math.min(PEER_LIMITS.messageBurst, this.#tokens + (now - this.#refilledAt) * rate);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Handles one frame; for a send, resolves once it is queued, with a promise of it being stored. */
  async #handle(frame: z.output<typeof PeerFrame>): Promise<Promise<void> | undefined> {
    // An ack that came before the close is still kept: it is the reader's word that it has the
    // messages (`inbox` acks, then closes at once), and dropping it would deliver them again.
    if (this.#ending && frame.type !== "ack") return;
    if (frame.type === "hello") return this.#hello(frame);
    const row = this.row;
    if (!row) return;
    if (frame.type === "ack") {
      await ackMessages(this.#broker.db, row.meshId, row.memberId, frame.message_ids);
      for (const id of frame.message_ids) this.#sent.delete(id);
      if (frame.confirm) this.send({ type: "acked", message_ids: frame.message_ids });
      return;
    }
    return this.#sendMessage(row, frame);
  }

  async #hello(frame: HelloFrame): Promise<void> {
    if (this.row) {
      this.send({ type: "error", error: "invalid_input", message: "Already said hello on this socket." });
      return;
    }
    const broker = this.#broker;
    const { caller, mesh } = this.admission;
    if ((await connectionsOfToken(broker.db, caller.tokenId)) >= PEER_LIMITS.connectionsPerToken) {
      return this.close(BROKER_CLOSE.rateLimited, "too many connections for this token");
    }
    const row: ConnectionRow = {
      id: randomUUID(),
      instanceId: broker.instanceId,
      meshId: mesh.id,
      memberId: caller.user.id,
      tokenId: caller.tokenId,
      sessionId: frame.session_id,
      displayName: frame.display_name ?? caller.user.name,
      role: frame.role ?? null,
      host: frame.host ?? null,
      kind: frame.kind,
      visible: frame.visible,
      connectedAt: broker.now(),
    };
    const replaced = await openConnection(broker.db, row);
    clearTimeout(this.#helloTimer);
    if (replaced) {
      await notify(broker.db, { k: "kick", conn: replaced.id });
      await broker.announce(replaced, false);
    }
    if (this.#ending) {
      await closeConnection(broker.db, row.id, broker.now());
      return;
    }
    this.row = row;
    this.#broker.joined(this, row);
    const peers: Peer[] = (await visiblePeers(broker.db, mesh.id)).filter((peer) => peer.id !== row.id).map(peerOf);
    this.send({ type: "welcome", mesh, you: peerOf(row), peers });
    await broker.announce(row, true);
    // Queued messages, then `synced`; later messages follow as they come.
    this.#reading = true;
    await this.pump();
    this.#synced = true;
    this.send({ type: "synced" });
  }

  /** Queues the send with this instance's next batch; resolves once it is stored and answered. */
  #sendMessage(row: ConnectionRow, frame: SendFrame): Promise<void> {
    const broker = this.#broker;
    return broker.sends
      .store({
        sender: { meshId: row.meshId, memberId: row.memberId, sessionId: row.sessionId, displayName: row.displayName },
        to: frame.to,
        body: frame.body,
        clientRef: frame.client_ref,
        now: broker.now(),
      })
      .then((result) => {
        if (result.kind === "sent") {
          this.send({ type: "sent", client_ref: frame.client_ref, message_id: result.messageId });
        } else this.send({ type: "error", error: result.error, message: result.message, ref: frame.client_ref });
      })
      .catch((error: unknown) => this.#serverError(error));
  }

  async #forget(): Promise<void> {
    const row = this.row;
    if (!row) return;
    const broker = this.#broker;
    const gone = await closeConnection(broker.db, row.id, broker.now()).catch(() => undefined);
    if (gone && !this.#announcedGone) await broker.announce(gone, false).catch(() => {});
  }
}
