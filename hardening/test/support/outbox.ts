import { psql } from "@claudemesh/test-support/throwaway-postgres";

export { psql };

/** One email the server kept in `email_outbox` (without SMTP it stays there: the outbox is the inbox). */
export interface OutboxEmail {
  to: string;
  subject: string;
  body: string;
}

/** A string as an SQL literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Every email kept for `to` (any case), oldest first. */
export async function outboxFor(url: string, to: string): Promise<OutboxEmail[]> {
  const rows = await psql(
    url,
    `select coalesce(json_agg(json_build_object('to', "to", 'subject', subject, 'body', body) order by created_at, id), '[]')
     from email_outbox where lower("to") = lower(${sqlString(to)})`,
  );
  return JSON.parse(rows) as OutboxEmail[];
}

/** The verification link in the newest verification email to `to`, or null when none was sent. */
export async function verificationLinkFor(url: string, to: string): Promise<string | null> {
  const links = (await outboxFor(url, to)).flatMap(
    (email) => /https?:\/\/\S+\/api\/auth\/verify-email\?\S+/.exec(email.body)?.[0] ?? [],
  );
  return links.at(-1) ?? null;
}
