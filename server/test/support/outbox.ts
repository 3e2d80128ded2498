import { desc, eq } from "drizzle-orm";
import { emailOutbox } from "../../src/db/schema.js";
import type { TestAccount, TestApp } from "./test-app.js";

/** Every email kept for `to` (tests run without SMTP, so the outbox is the inbox), newest first. */
export async function outboxFor(testApp: TestApp, to: string) {
  return testApp.database.db
    .select()
    .from(emailOutbox)
    .where(eq(emailOutbox.to, to))
    .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id));
}

/** The verification link in the newest verification email to `to` (emails sent at one test-clock instant come in no set order). */
export async function verificationLinkFor(testApp: TestApp, to: string): Promise<string> {
  for (const email of await outboxFor(testApp, to)) {
    const link = /https?:\/\/\S+\/api\/auth\/verify-email\?\S+/.exec(email.body)?.[0];
    if (link) return link;
  }
  throw new Error(`no verification email to ${to} in the outbox`);
}

/** Opens the account's verification link as its owner would; returns Better Auth's answer (a redirect). */
export async function verifyAddress(testApp: TestApp, account: TestAccount): Promise<Response> {
  const link = new URL(await verificationLinkFor(testApp, account.email));
  const response = await testApp.get(link.pathname + link.search, { cookie: account.cookie });
  if (response.status !== 302) throw new Error(`verify-email: ${response.status} ${await response.text()}`);
  return response;
}
