import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** One message the server handed to SMTP, as the recipient's mail program would read it. */
export interface ReceivedEmail {
  to: string[];
  subject: string;
  text: string;
}

/**
 * A real SMTP server on a free port of 127.0.0.1 that keeps what it receives,
 * for tests that read a server's mail the way a person would (`SMTP_URL` of a
 * server process, or a nodemailer transport in process). No TLS, no auth.
 */
export interface SmtpInbox {
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  url: string;
  port: number;
  received: ReceivedEmail[];
  /** Waits (on arrivals, not on a timer) for the first message to `to` that `matches`, and returns it. */
  next(to: string, matches?: (email: ReceivedEmail) => boolean, timeoutMs?: number): Promise<ReceivedEmail>;
  close(): Promise<void>;
}

export async function startSmtpInbox(): Promise<SmtpInbox> {
  const received: ReceivedEmail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const { subject, text } = readMessage(Buffer.concat(chunks).toString("latin1"));
        received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()), subject, text });
        for (const wake of waiters) wake();
        done();
      });
    },
  });
  server.listen(0, "127.0.0.1");
  await once(server.server, "listening");
  const { port } = server.server.address() as AddressInfo;

  const find = (to: string, matches: (email: ReceivedEmail) => boolean) =>
    received.find((email) => email.to.includes(to.toLowerCase()) && matches(email));

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    next(to, matches = () => true, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = find(to, matches);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no email to ${to} in ${timeoutMs / 1000}s; received: ${JSON.stringify(received.map((email) => [email.to, email.subject]))}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first URL in an email's text that starts with `prefix` (a link the email carries). */
export function linkIn(email: ReceivedEmail, prefix: string): string {
  const link = email.text.split(/\s+/).find((word) => word.startsWith(prefix));
  if (!link) throw new Error(`no link starting ${prefix} in "${email.subject}":\n${email.text}`);
  return link;
}

/**
 * The subject and text of a single-part text message as nodemailer writes one:
 * RFC 2047 encoded words in the subject, a quoted-printable or base64 body.
 * `raw` holds one character per byte (latin1).
 */
function readMessage(raw: string): { subject: string; text: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:[ \t]*(.*)$`, "im").exec(head)?.[1]?.trim() ?? "";
  const subject = header("subject").replace(
    /=\?([^?]+)\?([BQbq])\?([^?]*)\?=\s*/g,
    (_, _charset, kind: string, data: string) =>
      kind.toUpperCase() === "B"
        ? Buffer.from(data, "base64").toString("utf8")
        : fromQuotedPrintable(data.replaceAll("_", " ")),
  );
  const encoding = header("content-transfer-encoding").toLowerCase();
  const text =
    encoding === "quoted-printable"
      ? fromQuotedPrintable(body.replace(/=\r\n/g, ""))
      : encoding === "base64"
        ? Buffer.from(body, "base64").toString("utf8")
        : Buffer.from(body, "latin1").toString("utf8");
  return { subject, text: text.replace(/\r\n/g, "\n").trimEnd() };
}

function fromQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index += 1) {
    const hex = text.slice(index + 1, index + 3);
    if (text[index] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else bytes.push(text.charCodeAt(index));
  }
  return Buffer.from(bytes).toString("utf8");
}
