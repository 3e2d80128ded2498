import { randomUUID } from "node:crypto";
import { CreatedInvite, Mesh } from "@claudemesh/sdk/contracts";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ackMessages,
  DELIVERY_LIMITS,
  deleteExpiredMessages,
  type Sender,
  type SendInput,
  storeMessage,
  storeMessages,
} from "../src/broker/delivery.js";
import { createBrokerMetrics } from "../src/broker/metrics.js";
import { SendBatches } from "../src/broker/send-batches.js";
import { brokerDelivery, brokerMessage } from "../src/db/schema.js";
import { createTestApp, signUp, type TestAccount, type TestApp } from "./support/test-app.js";
import { DATABASE_KINDS } from "./support/test-database.js";

// The broker's storage bounds (docs/broker.md): the per-member queue and how long a body is
// kept, on the delivery functions the socket handler calls, with the clock in the test's hands.
describe.each(DATABASE_KINDS)("what the broker keeps, on %s", { timeout: 120_000 }, (kind) => {
  let testApp: TestApp;
  let sender: Sender;
  let reader: TestAccount;
  let meshId: string;
  const metrics = createBrokerMetrics();
  const T0 = new Date("2026-12-01T09:00:00Z");

  beforeAll(async () => {
    testApp = await createTestApp(kind);
    const owner = await signUp(testApp);
    reader = await signUp(testApp);
    const mesh = Mesh.parse(
      await (await testApp.postJson("/api/my/meshes", { name: `Bounds ${randomUUID().slice(0, 6)}` }, owner)).json(),
    );
    meshId = mesh.id;
    const invite = CreatedInvite.parse(
      await (await testApp.postJson(`/api/my/meshes/${mesh.id}/invites`, {}, owner)).json(),
    );
    const secret = invite.url.split("/invite/")[1] ?? "";
    expect((await testApp.postJson(`/api/invites/${secret}/accept`, {}, reader)).status).toBe(200);
    sender = { meshId, memberId: owner.id, sessionId: "owner-session-1", displayName: owner.name };
  });
  afterAll(() => testApp.close());

  const send = (to: "@all" | "reader", now = T0) =>
    storeMessage(testApp.database.db, metrics, {
      sender,
      to: to === "@all" ? "@all" : { member_id: reader.id },
      body: `hello ${randomUUID()}`,
      clientRef: randomUUID(),
      now,
    });
  const waitingFor = async (memberId: string) =>
    (await testApp.database.db.select().from(brokerDelivery).where(eq(brokerDelivery.recipientId, memberId))).map(
      (row) => row.messageId,
    );
  const stored = async (id: string) =>
    (await testApp.database.db.select().from(brokerMessage).where(eq(brokerMessage.id, id))).length === 1;

  it(`queues at most ${DELIVERY_LIMITS.queuedPerMember} unacked messages per member: a direct one past it is refused, an @all skips them`, async () => {
    for (let queued = 0; queued < DELIVERY_LIMITS.queuedPerMember; queued += 1) {
      expect((await send("reader")).kind).toBe("sent");
    }
    const fullBefore = (await metrics.droppedQueueFull.get()).values[0]?.value ?? 0;
    expect(await send("reader")).toMatchObject({ kind: "refused", error: "rate_limited" });
    expect(await send("@all")).toMatchObject({ kind: "sent" });
    expect(await waitingFor(reader.id)).toHaveLength(DELIVERY_LIMITS.queuedPerMember);
    expect((await metrics.droppedQueueFull.get()).values[0]?.value).toBe(fullBefore + 2);

    // Reading one makes room for one.
    const [oldest = ""] = await waitingFor(reader.id);
    await ackMessages(testApp.database.db, meshId, reader.id, [oldest]);
    expect((await send("reader")).kind).toBe("sent");
    expect(await send("reader")).toMatchObject({ kind: "refused", error: "rate_limited" });

    await ackMessages(testApp.database.db, meshId, reader.id, await waitingFor(reader.id));
  });

  it("a batch of sends is stored in its order, a client_ref twice in it once, and two sends for a queue's last place take it once", async () => {
    const input = (body: string, clientRef = randomUUID()): SendInput => ({
      sender,
      to: { member_id: reader.id },
      body,
      clientRef,
      now: T0,
    });
    const twice = randomUUID();
    const { results, stored: handed } = await storeMessages(
      testApp.database.db,
      metrics,
      [input("first"), input("second", twice), input("again", twice), input("x".repeat(70_000)), input("third")],
      null,
    );
    expect(results.map((result) => result.kind)).toEqual(["sent", "sent", "sent", "refused", "sent"]);
    const ids = results.map((result) => (result.kind === "sent" ? result.messageId : ""));
    // The resend in the same batch is answered with the first one's id, and stored once.
    expect(ids[2]).toBe(ids[1]);
    expect(handed.map((message) => message.frame.body)).toEqual(["first", "second", "third"]);
    const queue = await testApp.database.db
      .select()
      .from(brokerDelivery)
      .where(eq(brokerDelivery.recipientId, reader.id))
      .orderBy(brokerDelivery.seq);
    expect(queue.map((row) => row.messageId)).toEqual([ids[0], ids[1], ids[4]]);

    // Fill the queue to one short of the limit, then two sends in one batch: the first takes the place.
    for (let queued = queue.length; queued < DELIVERY_LIMITS.queuedPerMember - 1; queued += 100) {
      const batch = Array.from({ length: Math.min(100, DELIVERY_LIMITS.queuedPerMember - 1 - queued) }, (_, n) =>
        input(`filler ${queued + n}`),
      );
      await storeMessages(testApp.database.db, metrics, batch, null);
    }
    const last = await storeMessages(testApp.database.db, metrics, [input("last place"), input("one too many")], null);
    expect(last.results[0]).toMatchObject({ kind: "sent" });
    expect(last.results[1]).toMatchObject({ kind: "refused", error: "rate_limited" });
    expect(await waitingFor(reader.id)).toHaveLength(DELIVERY_LIMITS.queuedPerMember);
    await ackMessages(testApp.database.db, meshId, reader.id, await waitingFor(reader.id));
  });

  it("a send the database refuses fails alone: the sends batched with it are stored and handed over", async () => {
    const handed: string[] = [];
    const batches = new SendBatches({
      db: testApp.database.db,
      metrics,
      origin: "this-instance",
      onStored: (stored) => handed.push(...stored.map((message) => message.frame.body)),
    });
    // The frame contract refuses a NUL before it gets here; this is the last line behind it.
    const input = (body: string): SendInput => ({
      sender,
      to: { member_id: reader.id },
      body,
      clientRef: randomUUID(),
      now: T0,
    });
    // The first goes alone; the next three wait for it and are stored together.
    const sends = [input("first"), input("second"), input("a\u0000b"), input("fourth")].map((each) =>
      batches.store(each).then(
        (result) => result.kind,
        () => "failed",
      ),
    );
    expect(await Promise.all(sends)).toEqual(["sent", "sent", "failed", "sent"]);
    expect(handed).toEqual(["first", "second", "fourth"]);
    await ackMessages(testApp.database.db, meshId, reader.id, await waitingFor(reader.id));
  });

  it("keeps an unread message for the retention period and not a moment longer", async () => {
    const unread = await send("reader");
    if (unread.kind !== "sent") throw new Error(`not stored: ${JSON.stringify(unread)}`);
    const justBefore = new Date(T0.getTime() + DELIVERY_LIMITS.retentionMs - 1000);
    await deleteExpiredMessages(testApp.database.db, justBefore);
    expect(await stored(unread.messageId)).toBe(true);
    expect(await waitingFor(reader.id)).toContain(unread.messageId);

    await deleteExpiredMessages(testApp.database.db, new Date(T0.getTime() + DELIVERY_LIMITS.retentionMs + 1000));
    expect(await stored(unread.messageId)).toBe(false);
    expect(await waitingFor(reader.id)).not.toContain(unread.messageId);
  });

  it("deletes a body everyone has acked an hour after it was sent, not a week", async () => {
    const sentAt = new Date(T0.getTime() + 60_000);
    const read = await send("reader", sentAt);
    const unread = await send("reader", sentAt);
    if (read.kind !== "sent" || unread.kind !== "sent") throw new Error("not stored");
    await ackMessages(testApp.database.db, meshId, reader.id, [read.messageId]);

    // Within the hour the acked one stays, so a resend of its client_ref is still answered, not stored twice.
    await deleteExpiredMessages(testApp.database.db, new Date(sentAt.getTime() + DELIVERY_LIMITS.ackedKeptMs - 1000));
    expect(await stored(read.messageId)).toBe(true);

    await deleteExpiredMessages(testApp.database.db, new Date(sentAt.getTime() + DELIVERY_LIMITS.ackedKeptMs + 1000));
    expect(await stored(read.messageId)).toBe(false);
    expect(await stored(unread.messageId)).toBe(true);
  });
});
