import { randomUUID } from "node:crypto";
import { MAX_MESSAGE_BODY_BYTES, type MessageFrame, type Recipient } from "@claudemesh/sdk/contracts";
import { and, eq, inArray, lt, notExists, or, sql } from "drizzle-orm";
import { type Db, rowsOf } from "../db/database.js";
import { brokerDelivery, brokerMessage } from "../db/schema.js";
import { grantAllows } from "./grants.js";
import type { BrokerMetrics } from "./metrics.js";

// Messages live in Postgres until each recipient acks them: at least once, in
// the order the broker stored them (per sender), queued while a member is offline.

/** The bounds on what the broker keeps (docs/broker.md, SECURITY.md). */
export const DELIVERY_LIMITS = {
  /** Unacked messages one member may have waiting in one mesh; a direct message past it is refused. */
  queuedPerMember: 1_000,
  /** How long a message is kept, acked or not; older ones are deleted. */
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  /**
   * How long a message every recipient has acked is kept: its body is of no more use,
   * but its `client_ref` answers a sender's late resend instead of storing it again.
   */
  ackedKeptMs: 60 * 60 * 1000,
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
 * before answers with the stored message's id and stores nothing. Two statements
 * per send (who may receive it, then store and notify in one), since each round
 * trip to Postgres is most of a send's cost.
 */
export async function storeMessage(
  db: Db,
  metrics: BrokerMetrics,
  input: { sender: Sender; to: Recipient; body: string; clientRef: string; now: Date },
): Promise<SendResult> {
  const { sender } = input;
  if (Buffer.byteLength(input.body, "utf8") > MAX_MESSAGE_BODY_BYTES) {
    const message = `A message body is at most ${MAX_MESSAGE_BODY_BYTES} bytes.`;
    return { kind: "refused", error: "payload_too_large", message };
  }
  const direct = input.to === "@all" ? undefined : input.to;
  const capability = direct ? "dm" : "broadcast";
  const limit = DELIVERY_LIMITS.queuedPerMember;
  const candidates = rowsOf<{ user_id: string; allowed: boolean; full: boolean }>(
    await db.execute(sql`
      select member.user_id,
             ${grantAllows(sender.memberId, capability)} as allowed,
             (select count(*) from (select 1 from broker_delivery d
                where d.mesh_id = member.mesh_id and d.recipient_id = member.user_id limit ${limit}) queued) >= ${limit} as full
        from mesh_member member
       where member.mesh_id = ${sender.meshId}
         and ${direct ? sql`member.user_id = ${direct.member_id}` : sql`member.user_id <> ${sender.memberId}`}`),
  );
  if (direct && candidates.length === 0) {
    return { kind: "refused", error: "not_found", message: "No member with that id in this mesh." };
  }
  const refused = candidates.filter((row) => !row.allowed).length;
  if (refused > 0) metrics.droppedByGrant.inc({ cap: capability }, refused);
  const full = candidates.filter((row) => row.allowed && row.full).length;
  if (full > 0) metrics.droppedQueueFull.inc(full);
  if (direct && full > 0) {
    const message = `That member has ${limit} messages waiting; try again once they have read them.`;
    return { kind: "refused", error: "rate_limited", message };
  }
  const recipients = candidates.filter((row) => row.allowed && !row.full).map((row) => row.user_id);
  // A blocked sender hears "sent" like anyone else: a refusal would tell them they are blocked.
  if (recipients.length === 0) return { kind: "sent", messageId: randomUUID() };

  const notice: BrokerNotice = { k: "deliver", mesh: sender.meshId, to: direct ? [direct.member_id] : null };
  const recipientArray = sql`array[${sql.join(
    recipients.map((id) => sql`${id}`),
    sql`, `,
  )}]::text[]`;
  // One statement: the message, its copies and the notice commit together or not at all.
  const [stored] = rowsOf<{ id: string }>(
    await db.execute(sql`
      with message as (
        insert into broker_message
          (id, mesh_id, sender_id, sender_session_id, sender_name, to_all, body, client_ref, created_at)
        values (${randomUUID()}, ${sender.meshId}, ${sender.memberId}, ${sender.sessionId}, ${sender.displayName},
                ${!direct}, ${input.body}, ${input.clientRef}, ${input.now.toISOString()}::timestamptz)
        on conflict (mesh_id, sender_id, client_ref) do nothing
        returning id, seq
      ), copies as (
        insert into broker_delivery (message_id, mesh_id, recipient_id, recipient_session_id, seq)
        select message.id, ${sender.meshId}, recipient, ${direct?.session_id ?? null}, message.seq
          from message, unnest(${recipientArray}) as recipient
      )
      select message.id, pg_notify(${BROKER_CHANNEL}, ${JSON.stringify(notice)}) from message`),
  );
  if (stored) {
    metrics.stored.inc();
    return { kind: "sent", messageId: stored.id };
  }
  // The client_ref was used before (a resend): answer with the stored message's id.
  return { kind: "sent", messageId: (await storedId(db, sender, input.clientRef)) ?? randomUUID() };
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

/**
 * Deletes messages past the retention period, delivered or not, and those every
 * recipient has acked once `ackedKeptMs` has passed: a body is not kept for a week
 * after everyone has read it.
 */
export async function deleteExpiredMessages(db: Db, now: Date): Promise<number> {
  const expired = new Date(now.getTime() - DELIVERY_LIMITS.retentionMs);
  const ackedBefore = new Date(now.getTime() - DELIVERY_LIMITS.ackedKeptMs);
  const waiting = db.select({ one: sql`1` }).from(brokerDelivery).where(eq(brokerDelivery.messageId, brokerMessage.id));
  const gone = await db
    .delete(brokerMessage)
    .where(or(lt(brokerMessage.createdAt, expired), and(lt(brokerMessage.createdAt, ackedBefore), notExists(waiting))))
    .returning({ id: brokerMessage.id });
  return gone.length;
}
