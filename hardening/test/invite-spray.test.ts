// Invites cannot be sprayed: bursts of invites and invite emails through two
// server processes on one Postgres get exactly the limits through, and what
// reaches an inbox is a fixed template that names people only in short, neutral fields.

import { hasUnsafeCharacters } from "@claudemesh/sdk/contracts";
import { EMAIL_NAME_MAX, RATE_LIMITS } from "claudemesh-server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, signUp } from "./support/browser-session.js";
import { type Cluster, startCluster } from "./support/cluster.js";
import { outboxFor, psql, sqlString } from "./support/outbox.js";

const INVITE_SUBJECT = "You're invited to a claudemesh mesh";

describe("invite limits on two instances sharing one Postgres", () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster(2);
  });
  afterAll(() => cluster?.stop());

  let people = 0;
  const address = (label: string) => `${label}.${++people}.${Date.now()}@example.test`;
  const url = () => cluster.balancer.url;

  async function ownerWithMesh(name: string, meshName: string) {
    const email = address("owner");
    const cookie = await signUp(url(), name, email);
    const response = await postJson(url(), "/api/my/meshes", { name: meshName }, { cookie });
    expect(response.status).toBe(201);
    const mesh = (await response.json()) as { id: string };
    return { cookie, email, mesh };
  }

  const invite = (owner: { cookie: string; mesh: { id: string } }, body: Record<string, unknown>) =>
    postJson(url(), `/api/my/meshes/${owner.mesh.id}/invites`, body, { cookie: owner.cookie });

  it(`a burst of invite emails from one person gets exactly ${RATE_LIMITS.inviteEmailsPerUser.limit} through`, async () => {
    const owner = await ownerWithMesh("Sprayer", `Spray ${Date.now()}`);
    const recipients = Array.from({ length: 30 }, (_, i) => address(`spray${i}`));
    const answers = await Promise.all(recipients.map((to) => invite(owner, { email: to })));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(RATE_LIMITS.inviteEmailsPerUser.limit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(30 - RATE_LIMITS.inviteEmailsPerUser.limit);
    for (const answer of answers.filter((a) => a.status === 429)) {
      expect(await answer.json()).toMatchObject({
        error: "rate_limited",
        message: expect.stringContaining("send its link yourself"),
      });
    }
    const mailed = await Promise.all(recipients.map((to) => outboxFor(cluster.postgres.url, to)));
    expect(mailed.flat()).toHaveLength(RATE_LIMITS.inviteEmailsPerUser.limit);
  });

  it(`a stranger's mesh uses up only its own ${RATE_LIMITS.inviteEmailsPerMeshAndRecipient.limit} invite emails to an address: a company's invites still go`, async () => {
    const newhire = address("newhire");
    const stranger = await ownerWithMesh("Stranger", `Stranger ${Date.now()}`);
    const company = await ownerWithMesh("Company", `Company ${Date.now()}`);
    const perMesh = RATE_LIMITS.inviteEmailsPerMeshAndRecipient.limit;
    const spray = await Promise.all(Array.from({ length: perMesh + 5 }, () => invite(stranger, { email: newhire })));
    expect(spray.filter((answer) => answer.status === 201)).toHaveLength(perMesh);
    expect(spray.filter((answer) => answer.status === 429)).toHaveLength(5);

    expect((await invite(company, { email: newhire })).status).toBe(201);
    expect(await outboxFor(cluster.postgres.url, newhire)).toHaveLength(perMesh + 1);
  });

  it(`one inbox gets at most ${RATE_LIMITS.inviteEmailsPerRecipient.limit} invite emails a day over all meshes, however many send them`, async () => {
    const target = address("target");
    const perMesh = RATE_LIMITS.inviteEmailsPerMeshAndRecipient.limit;
    const overall = RATE_LIMITS.inviteEmailsPerRecipient.limit;
    // One mesh more than the overall cap needs, each trying one email more than its own cap.
    const owners = await Promise.all(
      Array.from({ length: Math.ceil(overall / perMesh) + 1 }, (_, i) =>
        ownerWithMesh(`Sender ${i}`, `Target ${i} ${Date.now()}`),
      ),
    );
    const answers = await Promise.all(
      owners.flatMap((owner) => Array.from({ length: perMesh + 1 }, () => invite(owner, { email: target }))),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(overall);
    expect(await outboxFor(cluster.postgres.url, target)).toHaveLength(overall);
  });

  it("the invite email's subject is fixed and its body names inviter and mesh only as short, neutral text", async () => {
    const lure = "URGENT: your account is locked, reset it at https://evil.example/reset now";
    const owner = await ownerWithMesh(lure, `Payroll ${Date.now()}: claim your bonus at https://evil.example/bonus`);
    const first = address("first");
    expect((await invite(owner, { email: first })).status).toBe(201);
    // A name saved before names were checked, with a line break, a bidi override and an escape sequence.
    await psql(
      cluster.postgres.url,
      `update "user" set name = E'Ada\\r\\nSubject: hi\\u202egnp.exe\\u001b]0;owned\\u0007' where email = ${sqlString(owner.email)}`,
    );
    const second = address("second");
    expect((await invite(owner, { email: second })).status).toBe(201);

    const emails = [
      ...(await outboxFor(cluster.postgres.url, first)),
      ...(await outboxFor(cluster.postgres.url, second)),
    ];
    expect(emails.map((email) => email.subject)).toEqual([INVITE_SUBJECT, INVITE_SUBJECT]);
    for (const email of emails) {
      expect(hasUnsafeCharacters(email.body.replaceAll("\n", " "))).toBe(false);
      expect(email.body).not.toContain("evil.example/reset");
      expect(email.body).not.toContain("evil.example/bonus");
      const named = email.body.split("\n").filter((line) => /^ {2}(Invited by|Mesh): /.test(line));
      expect(named).toHaveLength(2);
      for (const line of named)
        expect(Array.from(line.replace(/^ {2}\w[\w ]*: /, "")).length).toBeLessThanOrEqual(EMAIL_NAME_MAX);
    }
    expect(emails[1]?.body).toContain("  Invited by: Ada Subject: hignp.exe]0;owned");
  });
});
