import { randomUUID } from "node:crypto";
import type { Db } from "./db/database.js";
import { auditLog } from "./db/schema.js";
import type { RequestInfo } from "./request-info.js";

/** Every event the audit log records. */
export type AuditAction =
  | "auth.cli.login.approved"
  | "auth.cli.login.denied"
  | "auth.cli.session.created"
  | "auth.cli.session.revoked"
  | "auth.cli.pat.created"
  | "auth.cli.pat.revoked"
  | "auth.password.changed"
  | "auth.account.reclaimed"
  | "auth.alert.not-me"
  | "auth.web.session.revoked"
  | "mesh.created"
  | "mesh.invite.created"
  | "mesh.invite.accepted"
  | "mesh.invite.revoked"
  | "mesh.grant.changed";

export interface AuditEvent {
  action: AuditAction;
  userId: string | null;
  targetId?: string | null;
  request?: RequestInfo;
  metadata?: Record<string, unknown>;
  at: Date;
}

/** Appends one row to `audit_log`; pass the transaction the event belongs to, so both commit or neither. */
export async function recordAudit(db: Db, event: AuditEvent): Promise<void> {
  await db.insert(auditLog).values({
    id: randomUUID(),
    action: event.action,
    userId: event.userId,
    targetId: event.targetId ?? null,
    ipAddress: event.request?.ipAddress ?? null,
    userAgent: event.request?.userAgent ?? null,
    metadata: event.metadata ?? null,
    createdAt: event.at,
  });
}
