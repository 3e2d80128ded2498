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
  /**
   * New messages wait for these members of the mesh (null: every member). `from`:
   * the instance that stored them, which has handed them to its own sockets already.
   */
  | { k: "deliver"; mesh: string; to: string[] | null; from?: string | undefined }
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

/** One `send` frame, as the broker stores it. */
export interface SendInput {
  sender: Sender;
  to: Recipient;
  body: string;
  clientRef: string;
  now: Date;
}

export type SendResult =
  | { kind: "sent"; messageId: string }
  | { kind: "refused"; error: "payload_too_large" | "not_found" | "rate_limited"; message: string };

/** A message just stored, with whom it waits for: what the instance that stored it hands to its own sockets. */
export interface StoredMessage {
  meshId: string;
  recipients: string[];
  /** Set when the message is for one session of its one recipient. */
  recipientSessionId: string | null;
  frame: MessageFrame;
}

/**
 * Stores one message: `storeMessages` with a batch of one (the socket handler
 * batches; tests of the bounds call this).
 */
export async function storeMessage(db: Db, metrics: BrokerMetrics, input: SendInput): Promise<SendResult> {
  const { results } = await storeMessages(db, metrics, [input], null);
  return results[0] as SendResult;
}

/**
 * Stores a batch of sends, in their order, in two statements whatever its size
 * (each round trip to Postgres is most of a send's cost): one reads who may
 * receive each and how full their queues are, one stores the messages, their
 * copies and the notices to the other instances, committing together.
 *
 * Each recipient whose grants refuse the sender is dropped silently and counted;
 * so is one whose queue is full (a direct message to them is refused instead). A
 * `client_ref` the sender used before answers with the stored message's id and
 * stores nothing. `origin` names the instance in its notices, so that it skips
 * them: it hands what it stored to its own sockets (`StoredMessage`).
 */
export async function storeMessages(
  db: Db,
  metrics: BrokerMetrics,
  inputs: readonly SendInput[],
  origin: string | null,
): Promise<{ results: SendResult[]; stored: StoredMessage[] }> {
  const results: SendResult[] = [];
  const checked: { index: number; input: SendInput }[] = [];
  for (const [index, input] of inputs.entries()) {
    if (Buffer.byteLength(input.body, "utf8") > MAX_MESSAGE_BODY_BYTES) {
      const message = `A message body is at most ${MAX_MESSAGE_BODY_BYTES} bytes.`;
      results[index] = { kind: "refused", error: "payload_too_large", message };
    } else checked.push({ index, input });
  }
  const candidates = await recipientsOf(db, checked);
  const limit = DELIVERY_LIMITS.queuedPerMember;
  /** Queue lengths as this batch fills them, so two sends in one batch cannot both take the last place. */
  const queued = new Map<string, number>();
  const toStore: { index: number; input: SendInput; id: string; recipients: string[] }[] = [];
  // Counted once the batch is stored: a batch that fails is stored again one send at a time (send-batches.ts).
  const dropped = { dm: 0, broadcast: 0, queueFull: 0 };
  for (const { index, input } of checked) {
    const direct = input.to === "@all" ? undefined : input.to;
    const capability = direct ? "dm" : "broadcast";
    const rows = candidates.get(index) ?? [];
    if (direct && rows.length === 0) {
      results[index] = { kind: "refused", error: "not_found", message: "No member with that id in this mesh." };
      continue;
    }
    const refused = rows.filter((row) => !row.allowed).length;
    dropped[capability] += refused;
    const queueOf = (userId: string) => `${input.sender.meshId} ${userId}`;
    const allowed = rows.filter((row) => row.allowed);
    const isFull = (row: CandidateRow) => (queued.get(queueOf(row.user_id)) ?? row.queued) >= limit;
    const full = allowed.filter(isFull).length;
    dropped.queueFull += full;
    if (direct && full > 0) {
      const message = `That member has ${limit} messages waiting; try again once they have read them.`;
      results[index] = { kind: "refused", error: "rate_limited", message };
      continue;
    }
    const open = allowed.filter((row) => !isFull(row));
    const id = randomUUID();
    // A blocked sender hears "sent" like anyone else: a refusal would tell them they are blocked.
    results[index] = { kind: "sent", messageId: id };
    if (open.length === 0) continue;
    for (const row of open) queued.set(queueOf(row.user_id), (queued.get(queueOf(row.user_id)) ?? row.queued) + 1);
    toStore.push({ index, input, id, recipients: open.map((row) => row.user_id) });
  }
  const inserted = toStore.length > 0 ? await insertMessages(db, toStore, noticesFor(toStore, origin)) : new Set();
  for (const cap of ["dm", "broadcast"] as const)
    if (dropped[cap] > 0) metrics.droppedByGrant.inc({ cap }, dropped[cap]);
  if (dropped.queueFull > 0) metrics.droppedQueueFull.inc(dropped.queueFull);
  const stored: StoredMessage[] = [];
  for (const { index, input, id, recipients } of toStore) {
    if (inserted.has(id)) {
      metrics.stored.inc();
      const direct = input.to === "@all" ? undefined : input.to;
      stored.push({
        meshId: input.sender.meshId,
        recipients,
        recipientSessionId: direct?.session_id ?? null,
        frame: {
          type: "message",
          message_id: id,
          from: {
            member_id: input.sender.memberId,
            session_id: input.sender.sessionId,
            display_name: input.sender.displayName,
          },
          to: direct ? "direct" : "all",
          body: input.body,
          sent_at: input.now.toISOString(),
        },
      });
    } else {
      // The client_ref was used before (a resend): answer with the stored message's id.
      results[index] = { kind: "sent", messageId: (await storedId(db, input.sender, input.clientRef)) ?? id };
    }
  }
  return { results, stored };
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

interface CandidateRow {
  i: number;
  user_id: string;
  allowed: boolean;
  /** Messages waiting for this member, counted up to the queue limit. */
  queued: number;
}

/** For each send (by its index), the members it is for, whether their grants take it, and their queue lengths. */
async function recipientsOf(
  db: Db,
  sends: readonly { index: number; input: SendInput }[],
): Promise<Map<number, CandidateRow[]>> {
  const byIndex = new Map<number, CandidateRow[]>();
  if (sends.length === 0) return byIndex;
  const input = sends.map(({ index, input }) => ({
    i: index,
    mesh_id: input.sender.meshId,
    sender_id: input.sender.memberId,
    to_member: input.to === "@all" ? null : input.to.member_id,
    cap: input.to === "@all" ? "broadcast" : "dm",
  }));
  const limit = DELIVERY_LIMITS.queuedPerMember;
  const rows = rowsOf<CandidateRow>(
    await db.execute(sql`
      with input as (
        select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
          as input(i int, mesh_id text, sender_id text, to_member text, cap text)
      ), candidate as (
        select input.i, member.mesh_id, member.user_id,
               ${grantAllows(sql`input.sender_id`, sql`input.cap`)} as allowed
          from input join mesh_member member on member.mesh_id = input.mesh_id
           and (member.user_id = input.to_member or (input.to_member is null and member.user_id <> input.sender_id))
      ), queue as (
        select r.mesh_id, r.user_id,
               (select count(*) from (select 1 from broker_delivery d
                  where d.mesh_id = r.mesh_id and d.recipient_id = r.user_id limit ${limit}) waiting)::int as queued
          from (select distinct mesh_id, user_id from candidate where allowed) r
      )
      select candidate.i, candidate.user_id, candidate.allowed, coalesce(queue.queued, 0)::int as queued
        from candidate left join queue using (mesh_id, user_id)`),
  );
  for (const row of rows) {
    const list = byIndex.get(row.i) ?? [];
    list.push(row);
    byIndex.set(row.i, list);
  }
  return byIndex;
}

/** NOTIFY payloads stop at 8 000 bytes: a notice names at most this many members. */
const MEMBERS_PER_NOTICE = 100;

/** The deliver notices for a batch: per mesh, its recipients (or everyone, if any send was to @all). */
function noticesFor(toStore: readonly { input: SendInput; recipients: string[] }[], origin: string | null): string[] {
  const byMesh = new Map<string, Set<string> | null>();
  for (const { input, recipients } of toStore) {
    const mesh = input.sender.meshId;
    if (input.to === "@all") byMesh.set(mesh, null);
    else if (byMesh.get(mesh) !== null) byMesh.set(mesh, new Set([...(byMesh.get(mesh) ?? []), ...recipients]));
  }
  const notices: BrokerNotice[] = [];
  for (const [mesh, members] of byMesh) {
    const from = origin ?? undefined;
    if (members === null) notices.push({ k: "deliver", mesh, to: null, from });
    else {
      const list = [...members];
      for (let at = 0; at < list.length; at += MEMBERS_PER_NOTICE) {
        notices.push({ k: "deliver", mesh, to: list.slice(at, at + MEMBERS_PER_NOTICE), from });
      }
    }
  }
  return notices.map((notice) => JSON.stringify(notice));
}

/**
 * One statement: the messages (in the batch's order, so `seq` keeps each sender's
 * order), their copies and the notices commit together or not at all. Returns
 * the ids inserted; a message whose client_ref its sender used before is not.
 */
async function insertMessages(
  db: Db,
  toStore: readonly { input: SendInput; id: string; recipients: string[] }[],
  notices: string[],
): Promise<Set<string>> {
  const rows = toStore.map(({ input, id, recipients }, order) => ({
    order,
    id,
    mesh_id: input.sender.meshId,
    sender_id: input.sender.memberId,
    sender_session_id: input.sender.sessionId,
    sender_name: input.sender.displayName,
    to_all: input.to === "@all",
    body: input.body,
    client_ref: input.clientRef,
    created_at: input.now.toISOString(),
    recipients,
    recipient_session_id: input.to === "@all" ? null : (input.to.session_id ?? null),
  }));
  const result = rowsOf<{ id: string | null }>(
    await db.execute(sql`
      with input as (
        select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as input(
          "order" int, id text, mesh_id text, sender_id text, sender_session_id text, sender_name text,
          to_all boolean, body text, client_ref text, created_at timestamptz, recipients text[],
          recipient_session_id text)
      ), message as (
        insert into broker_message
          (id, mesh_id, sender_id, sender_session_id, sender_name, to_all, body, client_ref, created_at)
        select id, mesh_id, sender_id, sender_session_id, sender_name, to_all, body, client_ref, created_at
          from input order by "order"
        on conflict (mesh_id, sender_id, client_ref) do nothing
        returning id, mesh_id, seq
      ), copies as (
        insert into broker_delivery (message_id, mesh_id, recipient_id, recipient_session_id, seq)
        select message.id, message.mesh_id, recipient, input.recipient_session_id, message.seq
          from message join input on input.id = message.id, unnest(input.recipients) as recipient
      )
      select id from message
      union all
      select null from (select pg_notify(${BROKER_CHANNEL}, notice)
                          from jsonb_array_elements_text(${JSON.stringify(notices)}::jsonb) as notice) sent
       where exists (select 1 from message)`),
  );
  return new Set(result.flatMap((row) => (row.id ? [row.id] : [])));
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
