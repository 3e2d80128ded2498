import { randomUUID } from "node:crypto";
import { MAX_MESSAGE_BODY_BYTES, type MessageFrame, type Recipient } from "@claudemesh/sdk/contracts";
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { type Db, rowsOf } from "../db/database.js";
import { brokerDelivery, brokerMessage } from "../db/schema.js";
import { recipientsByGrant } from "./grants.js";
import type { BrokerMetrics } from "./metrics.js";

// Messages live in Postgres until each recipient acks them: at least once, in
// the order the broker stored them (per sender), queued while a member is offline.

/** The bounds on what the broker keeps (docs/broker.md, SECURITY.md). */
export const DELIVERY_LIMITS = {
  /** Unacked messages one member may have waiting in one mesh; a direct message past it is refused. */
  queuedPerMember: 1_000,
  /** How long a message is kept, acked or not; older ones are deleted. */
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  /** Messages sent to a socket per read of its queue. */
  pumpBatch: 200,
} as const;

/** The NOTIFY channel of the broker; payloads carry ids only (`BrokerNotice`). */
export const BROKER_CHANNEL = "claudemesh_broker";

/** What one instance tells the others; never a message body (NOTIFY payloads stop at 8 000 bytes). */
export type BrokerNotice =
  /** New messages wait for these members of the mesh (null: every member). */
  | { k: "deliver"; mesh: string; to: string[] | null }
  /** A connection came or went; `peer` is the contract's small `Peer` (ids and short names). */
  | { k: "presence"; mesh: string; conn: string; online: boolean; peer: import("@claudemesh/sdk/contracts").Peer }
  /** This connection was replaced by a newer one with its session id. */
  | { k: "kick"; conn: string };

/** Sends a notice to every instance (this one too), inside `db`'s transaction when it is one. */
export async function notify(db: Db, notice: BrokerNotice): Promise<void> {
  await db.execute(sql`select pg_notify(${BROKER_CHANNEL}, ${JSON.stringify(notice)})`);
}

/** Member ids per notice, so a payload stays far below 8 000 bytes (ids are ≤ 64 characters). */
const IDS_PER_NOTICE = 50;

export interface Sender {
  meshId: string;
  memberId: string;
  sessionId: string;
  displayName: string;
}

export type SendResult =
  | { kind: "sent"; messageId: string }
  | { kind: "refused"; error: "payload_too_large" | "not_found" | "rate_limited"; message: string };

/**
 * Stores a message for each recipient whose grants take it from the sender;
 * the others are dropped silently and counted. A `client_ref` the sender used
 * before answers with the stored message's id and stores nothing.
 */
export async function storeMessage(
  db: Db,
  metrics: BrokerMetrics,
  input: { sender: Sender; to: Recipient; body: string; clientRef: string; now: Date },
): Promise<SendResult> {
  const { sender } = input;
  if (Buffer.byteLength(input.body, "utf8") > MAX_MESSAGE_BODY_BYTES) {
    return {
      kind: "refused",
      error: "payload_too_large",
      message: `A message body is at most ${MAX_MESSAGE_BODY_BYTES} bytes.`,
    };
  }
  const earlier = await storedId(db, sender, input.clientRef);
  if (earlier) return { kind: "sent", messageId: earlier };

  const toAll = input.to === "@all";
  const capability = toAll ? "broadcast" : "dm";
  const direct = input.to === "@all" ? undefined : input.to;
  const { allowed, refused } = await recipientsByGrant(db, {
    meshId: sender.meshId,
    senderId: sender.memberId,
    capability,
    onlyMember: direct?.member_id,
  });
  if (direct && allowed.length + refused.length === 0) {
    return { kind: "refused", error: "not_found", message: "No member with that id in this mesh." };
  }
  if (refused.length > 0) metrics.droppedByGrant.inc({ cap: capability }, refused.length);

  const full = new Set(await fullQueues(db, sender.meshId, allowed));
  if (direct && full.size > 0) {
    metrics.droppedQueueFull.inc();
    const message = `That member has ${DELIVERY_LIMITS.queuedPerMember} messages waiting; try again once they have read them.`;
    return { kind: "refused", error: "rate_limited", message };
  }
  if (full.size > 0) metrics.droppedQueueFull.inc(full.size);
  const recipients = allowed.filter((id) => !full.has(id));
  // A blocked sender hears "sent" like anyone else: a refusal would tell them they are blocked.
  if (recipients.length === 0) return { kind: "sent", messageId: randomUUID() };

  const messageId = randomUUID();
  const stored = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(brokerMessage)
      .values({
        id: messageId,
        meshId: sender.meshId,
        senderId: sender.memberId,
        senderSessionId: sender.sessionId,
        senderName: sender.displayName,
        toAll,
        body: input.body,
        clientRef: input.clientRef,
        createdAt: input.now,
      })
      .onConflictDoNothing()
      .returning({ id: brokerMessage.id, seq: brokerMessage.seq });
    if (!row) return undefined;
    await tx.insert(brokerDelivery).values(
      recipients.map((recipientId) => ({
        messageId,
        meshId: sender.meshId,
        recipientId,
        recipientSessionId: direct?.session_id ?? null,
        seq: row.seq,
      })),
    );
    if (toAll) await notify(tx, { k: "deliver", mesh: sender.meshId, to: null });
    else {
      for (let i = 0; i < recipients.length; i += IDS_PER_NOTICE) {
        await notify(tx, { k: "deliver", mesh: sender.meshId, to: recipients.slice(i, i + IDS_PER_NOTICE) });
      }
    }
    return row.id;
  });
  if (stored) metrics.stored.inc();
  // Lost a race with the same client_ref from another connection: answer with the winner's id.
  return { kind: "sent", messageId: stored ?? (await storedId(db, sender, input.clientRef)) ?? messageId };
}

async function storedId(db: Db, sender: Sender, clientRef: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: brokerMessage.id })
    .from(brokerMessage)
    .where(
      and(
        eq(brokerMessage.meshId, sender.meshId),
        eq(brokerMessage.senderId, sender.memberId),
        eq(brokerMessage.clientRef, clientRef),
      ),
    );
  return row?.id;
}

/** Of `members`, those with a full queue in the mesh. */
async function fullQueues(db: Db, meshId: string, members: readonly string[]): Promise<string[]> {
  if (members.length === 0) return [];
  const rows = await db
    .select({ recipientId: brokerDelivery.recipientId })
    .from(brokerDelivery)
    .where(and(eq(brokerDelivery.meshId, meshId), inArray(brokerDelivery.recipientId, [...members])))
    .groupBy(brokerDelivery.recipientId)
    .having(sql`count(*) >= ${DELIVERY_LIMITS.queuedPerMember}`);
  return rows.map((row) => row.recipientId);
}

/**
 * The messages waiting for one session of a member, oldest first, leaving out
 * those already sent on this socket and not yet acked.
 */
export async function pendingFor(
  db: Db,
  input: { meshId: string; memberId: string; sessionId: string; alreadySent: ReadonlySet<string> },
): Promise<MessageFrame[]> {
  const skip = input.alreadySent.size > 0 ? sql`and d.message_id not in ${[...input.alreadySent]}` : sql``;
  const rows = rowsOf<{
    id: string;
    sender_id: string;
    sender_session_id: string;
    sender_name: string;
    to_all: boolean;
    body: string;
    created_at: string | Date;
  }>(
    await db.execute(sql`
      select m.id, m.sender_id, m.sender_session_id, m.sender_name, m.to_all, m.body, m.created_at
        from broker_delivery d join broker_message m on m.id = d.message_id
       where d.mesh_id = ${input.meshId} and d.recipient_id = ${input.memberId}
         and (d.recipient_session_id is null or d.recipient_session_id = ${input.sessionId})
         ${skip}
       order by d.seq
       limit ${DELIVERY_LIMITS.pumpBatch}`),
  );
  return rows.map((row) => ({
    type: "message",
    message_id: row.id,
    from: { member_id: row.sender_id, session_id: row.sender_session_id, display_name: row.sender_name },
    to: row.to_all ? "all" : "direct",
    body: row.body,
    sent_at: new Date(row.created_at).toISOString(),
  }));
}

/** Of `messageIds`, those still waiting for the member (not acked by any of their sessions). */
export async function stillPending(db: Db, meshId: string, memberId: string, messageIds: string[]): Promise<string[]> {
  if (messageIds.length === 0) return [];
  const rows = await db
    .select({ id: brokerDelivery.messageId })
    .from(brokerDelivery)
    .where(
      and(
        eq(brokerDelivery.meshId, meshId),
        eq(brokerDelivery.recipientId, memberId),
        inArray(brokerDelivery.messageId, messageIds),
      ),
    );
  return rows.map((row) => row.id);
}

/** The member has these messages: they are not delivered again. Only their own copies are touched. */
export async function ackMessages(db: Db, meshId: string, memberId: string, messageIds: string[]): Promise<void> {
  await db
    .delete(brokerDelivery)
    .where(
      and(
        eq(brokerDelivery.meshId, meshId),
        eq(brokerDelivery.recipientId, memberId),
        inArray(brokerDelivery.messageId, messageIds),
      ),
    );
}

/** Deletes messages past the retention period, delivered or not. */
export async function deleteExpiredMessages(db: Db, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - DELIVERY_LIMITS.retentionMs);
  const gone = await db
    .delete(brokerMessage)
    .where(lt(brokerMessage.createdAt, cutoff))
    .returning({ id: brokerMessage.id });
  return gone.length;
}
