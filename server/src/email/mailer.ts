import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "../db/database.js";
import { emailOutbox } from "../db/schema.js";
import { log as serverLog } from "../log.js";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
}

/** What happened to one email: sent over SMTP, left in the outbox (no SMTP configured), or failed. */
export type DeliveryStatus = "sent" | "queued" | "failed";

/** Sends mail, or keeps it for later; never throws for a mail problem. */
export interface Mailer {
  deliver(email: OutgoingEmail): Promise<DeliveryStatus>;
}

/** The part of a nodemailer transport the mailer uses. */
export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
}

/** Longest a request waits for the SMTP server before calling the mail failed. */
const SEND_TIMEOUT_MS = 10_000;

/**
 * Every email is written to `email_outbox` first. With a transport it is sent
 * at once and the row marked sent (its body cleared: invite links are
 * secrets); without one it stays queued and the log says "would send", naming
 * only the recipient's domain and the subject.
 */
export function createMailer(deps: {
  db: Db;
  transport: MailTransport | null;
  from: string;
  /** Receives the message; by default the server log, which keeps it on one line. */
  log?: (message: string) => void;
  now?: () => Date;
}): Mailer {
  const { db, transport, from, log = serverLog.info } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    async deliver(email) {
      const id = randomUUID();
      await db
        .insert(emailOutbox)
        .values({ id, to: email.to, subject: email.subject, body: email.text, createdAt: now() });
      const domain = email.to.split("@")[1] ?? "?";
      if (!transport) {
        log(`would send "${email.subject}" to …@${domain} (no SMTP_URL; kept in email_outbox)`);
        return "queued";
      }
      try {
        await withTimeout(transport.sendMail({ from, ...email }), SEND_TIMEOUT_MS);
        await db.update(emailOutbox).set({ sentAt: now(), body: "" }).where(eq(emailOutbox.id, id));
        return "sent";
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await db
          .update(emailOutbox)
          .set({ error: reason.slice(0, 500) })
          .where(eq(emailOutbox.id, id));
        log(`could not send "${email.subject}" to …@${domain}: ${reason}`);
        return "failed";
      }
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the SMTP server in ${ms / 1000}s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
