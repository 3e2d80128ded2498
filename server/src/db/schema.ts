import {
  bigint,
  bigserial,
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

// Better Auth's tables (user, session, account, verification), written by hand
// because its schema generator needs Node ≥ 22.12. Property names are the field
// names Better Auth asks for; columns are snake_case like the rest of the schema.

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

export const user = pgTable("user", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  emailVerified: boolean("email_verified").notNull().default(false),
  image: text("image"),
  /** The language the account was made in (`en`, `es`), which emails to it are written in; null when not known. */
  locale: text("locale"),
  /** Better Auth's twoFactor plugin: sign-in asks for a TOTP or backup code after the password. */
  twoFactorEnabled: boolean("two_factor_enabled").notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const session = pgTable(
  "session",
  {
    id: text("id").primaryKey(),
    token: text("token").notNull().unique(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    /**
     * When this browser last proved who it is (signing in, or "Confirm it's you"):
     * step-up (accounts/step-up.ts) lets what matters through for an hour after it.
     */
    authenticatedAt: timestamp("authenticated_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index("session_user_id_idx").on(table.userId)],
);

export const account = pgTable(
  "account",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    scope: text("scope"),
    password: text("password"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index("account_user_id_idx").on(table.userId)],
);

export const verification = pgTable(
  "verification",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index("verification_identifier_idx").on(table.identifier)],
);

/** Better Auth's twoFactor plugin: the encrypted TOTP secret and backup codes of an account. */
export const twoFactor = pgTable(
  "two_factor",
  {
    id: text("id").primaryKey(),
    secret: text("secret").notNull(),
    backupCodes: text("backup_codes").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    /** False between "set up" and the first right code, while the account does not ask for it yet. */
    verified: boolean("verified").notNull().default(true),
    failedVerificationCount: integer("failed_verification_count").notNull().default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
  },
  (table) => [index("two_factor_user_id_idx").on(table.userId)],
);

/** @better-auth/passkey: the WebAuthn credentials an account signs in with. */
export const passkey = pgTable(
  "passkey",
  {
    id: text("id").primaryKey(),
    name: text("name"),
    publicKey: text("public_key").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    credentialID: text("credential_id").notNull(),
    counter: integer("counter").notNull(),
    deviceType: text("device_type").notNull(),
    backedUp: boolean("backed_up").notNull(),
    transports: text("transports"),
    createdAt: timestamp("created_at", { withTimezone: true }),
    aaguid: text("aaguid"),
  },
  (table) => [
    index("passkey_user_id_idx").on(table.userId),
    uniqueIndex("passkey_credential_id_idx").on(table.credentialID),
  ],
);

// claudemesh's own tables.

const at = (name: string) => timestamp(name, { withTimezone: true });

/** How a CLI credential was obtained (shown beside it in every list, and in the email about it). */
export const CREDENTIAL_FLOWS = ["device-code", "browser", "web"] as const;

/**
 * CLI session tokens (`cm_session_…`, from device login) and personal access
 * tokens (`cm_pat_…`). Only the SHA-256 of a token is stored; requests find
 * their token by that hash (unique index).
 */
export const cliToken = pgTable(
  "cli_token",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["session", "pat"] }).notNull(),
    /** PAT name, or the device name of a session. */
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    deviceName: text("device_name"),
    deviceOs: text("device_os"),
    deviceArch: text("device_arch"),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    /** How it was obtained: a device-code or browser (loopback) login, or a PAT made on the web; null before this was kept. */
    flow: text("flow", { enum: CREDENTIAL_FLOWS }),
    createdAt: createdAt(),
    lastUsedAt: at("last_used_at"),
    /** Null: never expires (PATs only). Sessions slide forward on use. */
    expiresAt: at("expires_at"),
    revokedAt: at("revoked_at"),
  },
  (table) => [
    uniqueIndex("cli_token_token_hash_idx").on(table.tokenHash),
    index("cli_token_user_kind_idx").on(table.userId, table.kind),
  ],
);

/**
 * One device-code login (RFC 8628 shape). Both codes are stored as SHA-256
 * hashes. The token is minted when the first poll sees `approved` (claimed_at),
 * so no raw token ever sits here.
 */
export const cliDeviceCode = pgTable(
  "cli_device_code",
  {
    id: text("id").primaryKey(),
    deviceCodeHash: text("device_code_hash").notNull(),
    userCodeHash: text("user_code_hash").notNull(),
    status: text("status", { enum: ["pending", "approved", "denied"] })
      .notNull()
      .default("pending"),
    deviceName: text("device_name").notNull(),
    deviceOs: text("device_os").notNull(),
    deviceArch: text("device_arch").notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    /** Who approved or denied it. */
    userId: text("user_id").references(() => user.id, { onDelete: "cascade" }),
    /** The token minted at claim. */
    tokenId: text("token_id").references(() => cliToken.id, { onDelete: "set null" }),
    /** Milliseconds a poller must leave between polls; grows on slow_down. */
    intervalMs: integer("interval_ms").notNull(),
    lastPolledAt: at("last_polled_at"),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
    decidedAt: at("decided_at"),
    claimedAt: at("claimed_at"),
  },
  (table) => [
    uniqueIndex("cli_device_code_device_code_hash_idx").on(table.deviceCodeHash),
    uniqueIndex("cli_device_code_user_code_hash_idx").on(table.userCodeHash),
    index("cli_device_code_expires_at_idx").on(table.expiresAt),
  ],
);

/** Security-relevant events: logins approved/denied, tokens created/revoked. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    action: text("action").notNull(),
    userId: text("user_id").references(() => user.id, { onDelete: "set null" }),
    /** The token or device code the event is about. */
    targetId: text("target_id"),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (table) => [index("audit_log_user_id_created_at_idx").on(table.userId, table.createdAt)],
);

/**
 * Attempt counters shared by every instance (limits/attempts.ts): attempts in
 * the window that opened at `window_start`, and, under back-off, when the next
 * one may come.
 */
export const rateLimit = pgTable("rate_limit", {
  key: text("key").primaryKey(),
  windowStart: at("window_start").notNull(),
  count: integer("count").notNull(),
  nextAt: at("next_at"),
});

/**
 * A browser (loopback) login's authorization code: 60 seconds, single use,
 * bound to the PKCE challenge and redirect URI it was issued for. Hash only.
 */
export const cliLoopbackCode = pgTable(
  "cli_loopback_code",
  {
    id: text("id").primaryKey(),
    codeHash: text("code_hash").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    codeChallenge: text("code_challenge").notNull(),
    redirectUri: text("redirect_uri").notNull(),
    deviceName: text("device_name").notNull(),
    deviceOs: text("device_os").notNull(),
    deviceArch: text("device_arch").notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
  },
  (table) => [
    uniqueIndex("cli_loopback_code_code_hash_idx").on(table.codeHash),
    index("cli_loopback_code_expires_at_idx").on(table.expiresAt),
  ],
);

/** A mesh: a named group of people (and their Claude Code sessions). Slugs are unique across the server. */
export const mesh = pgTable(
  "mesh",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("mesh_slug_idx").on(table.slug)],
);

export const MESH_ROLES = ["owner", "admin", "member"] as const;

/** Who belongs to a mesh, with which role. */
export const meshMember = pgTable(
  "mesh_member",
  {
    meshId: text("mesh_id")
      .notNull()
      .references(() => mesh.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    role: text("role", { enum: MESH_ROLES }).notNull(),
    joinedAt: at("joined_at").notNull(),
    /**
     * What each other member (by user id) may do to this one through the broker: `dm`,
     * `broadcast`. A member not named has both; an empty list blocks them (seed 003).
     */
    peerGrants: jsonb("peer_grants").$type<Record<string, string[]>>().notNull().default({}),
    /** When a broker connection of this member was last open; null if never. */
    lastSeenAt: at("last_seen_at"),
  },
  (table) => [
    primaryKey({ columns: [table.meshId, table.userId] }),
    index("mesh_member_user_id_idx").on(table.userId),
    // "Who named this member in their grants" (`peer_grants ? member`) without reading every row.
    index("mesh_member_peer_grants_idx").using("gin", table.peerGrants),
  ],
);

/** An invitation to a mesh: single use, expiring; only the SHA-256 of its secret is stored. */
export const meshInvite = pgTable(
  "mesh_invite",
  {
    id: text("id").primaryKey(),
    meshId: text("mesh_id")
      .notNull()
      .references(() => mesh.id, { onDelete: "cascade" }),
    secretHash: text("secret_hash").notNull(),
    /** Who it was sent to, if anyone; anyone holding the URL may accept it. */
    email: text("email"),
    role: text("role", { enum: ["admin", "member"] }).notNull(),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
    acceptedAt: at("accepted_at"),
    acceptedBy: text("accepted_by").references(() => user.id, { onDelete: "set null" }),
    /** Withdrawn by one of the mesh's owners or admins before anyone used it. */
    revokedAt: at("revoked_at"),
  },
  (table) => [uniqueIndex("mesh_invite_secret_hash_idx").on(table.secretHash)],
);

/** Mail the server wants to send; without SMTP_URL it stays here ("would send"). */
export const emailOutbox = pgTable("email_outbox", {
  id: text("id").primaryKey(),
  to: text("to").notNull(),
  subject: text("subject").notNull(),
  body: text("body").notNull(),
  createdAt: createdAt(),
  sentAt: at("sent_at"),
  error: text("error"),
});

/** Anonymous CLI usage events (opt-out); never tokens, emails or names. */
export const telemetryEvent = pgTable(
  "telemetry_event",
  {
    id: text("id").primaryKey(),
    event: text("event").notNull(),
    /** A random id per installation, not per person. */
    installId: text("install_id").notNull(),
    properties: jsonb("properties").$type<Record<string, string | number | boolean | null>>().notNull(),
    receivedAt: at("received_at").notNull(),
  },
  (table) => [index("telemetry_event_received_at_idx").on(table.receivedAt)],
);

/**
 * The "this wasn't me" link of a security email (a new CLI session, a new PAT,
 * a password change): single use, expiring; only the SHA-256 of its secret is
 * stored. `target_id` is the token the email was about (null for a password change).
 */
export const securityAlert = pgTable(
  "security_alert",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["cli-session", "pat", "password"] }).notNull(),
    targetId: text("target_id"),
    secretHash: text("secret_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
  },
  (table) => [uniqueIndex("security_alert_secret_hash_idx").on(table.secretHash)],
);

// ── The mesh broker (issue 26) ────────────────────────────────────────────────

/** A running server process with a broker; its connections go when its heartbeat stops. */
export const brokerInstance = pgTable("broker_instance", {
  id: text("id").primaryKey(),
  startedAt: at("started_at").notNull(),
  heartbeatAt: at("heartbeat_at").notNull(),
});

/** One open broker WebSocket (a peer), so every instance can list who is online. */
export const brokerConnection = pgTable(
  "broker_connection",
  {
    id: text("id").primaryKey(),
    instanceId: text("instance_id")
      .notNull()
      .references(() => brokerInstance.id, { onDelete: "cascade" }),
    meshId: text("mesh_id").notNull(),
    memberId: text("member_id").notNull(),
    tokenId: text("token_id")
      .notNull()
      .references(() => cliToken.id, { onDelete: "cascade" }),
    sessionId: text("session_id").notNull(),
    displayName: text("display_name").notNull(),
    role: text("role"),
    host: text("host"),
    kind: text("kind").notNull(),
    /** False for short-lived commands (`send`, `inbox`): not announced, not listed. */
    visible: boolean("visible").notNull(),
    connectedAt: at("connected_at").notNull(),
  },
  (table) => [
    foreignKey({
      columns: [table.meshId, table.memberId],
      foreignColumns: [meshMember.meshId, meshMember.userId],
    }).onDelete("cascade"),
    // One connection per session id of a member: a newer one replaces it.
    uniqueIndex("broker_connection_session_idx").on(table.meshId, table.memberId, table.sessionId),
    index("broker_connection_token_idx").on(table.tokenId),
    index("broker_connection_instance_idx").on(table.instanceId),
  ],
);

/** A message sent through the broker; its body is opaque (a later issue encrypts it end to end). */
export const brokerMessage = pgTable(
  "broker_message",
  {
    id: text("id").primaryKey(),
    /** Delivery order: per sender, the order the broker stored them in. */
    seq: bigserial("seq", { mode: "number" }).notNull(),
    meshId: text("mesh_id")
      .notNull()
      .references(() => mesh.id, { onDelete: "cascade" }),
    senderId: text("sender_id").notNull(),
    senderSessionId: text("sender_session_id").notNull(),
    senderName: text("sender_name").notNull(),
    toAll: boolean("to_all").notNull(),
    body: text("body").notNull(),
    /** The sender's own id for it: a resend with the same ref is answered, not stored again. */
    clientRef: text("client_ref").notNull(),
    createdAt: at("created_at").notNull(),
  },
  (table) => [
    uniqueIndex("broker_message_client_ref_idx").on(table.meshId, table.senderId, table.clientRef),
    index("broker_message_created_at_idx").on(table.createdAt),
  ],
);

/** One recipient's copy of a message, until they ack it (at least once). */
export const brokerDelivery = pgTable(
  "broker_delivery",
  {
    messageId: text("message_id")
      .notNull()
      .references(() => brokerMessage.id, { onDelete: "cascade" }),
    meshId: text("mesh_id").notNull(),
    recipientId: text("recipient_id").notNull(),
    /** Only this session of the recipient takes it; null: any of their sessions. */
    recipientSessionId: text("recipient_session_id"),
    seq: bigint("seq", { mode: "number" }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.messageId, table.recipientId] }),
    foreignKey({
      columns: [table.meshId, table.recipientId],
      foreignColumns: [meshMember.meshId, meshMember.userId],
    }).onDelete("cascade"),
    index("broker_delivery_recipient_idx").on(table.meshId, table.recipientId, table.seq),
  ],
);
