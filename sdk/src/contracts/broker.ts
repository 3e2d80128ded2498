import * as z from "zod";
import { Timestamp } from "./common.js";
import { lazySchema } from "./lazy-schema.js";
import { DisplayName, StorableText } from "./neutral-text.js";

// The mesh broker (issue 26): one WebSocket per peer at `BROKER_PATH`, bearer-authenticated
// at upgrade like `/api/my/*`. Every frame is one JSON text message, snake_case as on the
// HTTP API; the frames below are the whole protocol, in both directions.

/** Where a peer connects: `GET /api/my/meshes/:mesh/broker` with `Upgrade: websocket` (`:mesh` is the id or slug). */
export const brokerPath = (mesh: string): string => `/api/my/meshes/${encodeURIComponent(mesh)}/broker`;

/** Largest message body the broker takes, in bytes of its UTF-8 JSON string. */
export const MAX_MESSAGE_BODY_BYTES = 64 * 1024;
/** Largest frame the broker reads; anything larger closes the socket with 1009. */
export const MAX_FRAME_BYTES = 80 * 1024;

/** What one peer may do to another: send it direct messages, or reach it with `@all`. */
export const Capability = lazySchema(() => z.enum(["dm", "broadcast"]));
export type Capability = z.infer<typeof Capability>;
export const ALL_CAPABILITIES: readonly Capability[] = ["dm", "broadcast"];

/** A client's name for its own connection, unique per member: letters, digits, `-` and `_`. */
export const SessionId = lazySchema(() =>
  z
    .string()
    .min(8)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _ only"),
);

/** What kind of client a peer is: a launched Claude Code (through `claudemesh mcp`), the CLI, or VS Code. */
export const PeerKind = lazySchema(() => z.enum(["claude-code", "cli", "vscode"]));
export type PeerKind = z.infer<typeof PeerKind>;

/** One connection in a mesh, as other members see it. */
export const Peer = lazySchema(() =>
  z.object({
    member_id: z.string(),
    session_id: z.string(),
    display_name: z.string(),
    /** The role this session was launched with (`launch --role reviewer`), not the mesh role. */
    role: z.string().nullable(),
    host: z.string().nullable(),
    kind: PeerKind,
    connected_at: Timestamp,
  }),
);
export type Peer = z.infer<typeof Peer>;

/** One member of a mesh with presence: online while any of their sessions is connected. */
export const MemberPresence = lazySchema(() =>
  z.object({
    member_id: z.string(),
    name: z.string(),
    mesh_role: z.enum(["owner", "admin", "member"]),
    online: z.boolean(),
    /** When a session of theirs was last connected; null if never. */
    last_seen_at: Timestamp.nullable(),
    sessions: z.array(Peer),
  }),
);
export type MemberPresence = z.infer<typeof MemberPresence>;

/** `GET /api/my/meshes/:mesh/peers` */
export const PeerList = lazySchema(() => z.object({ members: z.array(MemberPresence) }));
export type PeerList = z.infer<typeof PeerList>;

/**
 * The capabilities you give each other member. A member missing from `peers` has every
 * capability (everyone is allowed until you say otherwise); an empty list blocks them.
 */
export const Grants = lazySchema(() => z.object({ peers: z.record(z.string(), z.array(Capability)) }));
export type Grants = z.infer<typeof Grants>;

/** `POST /api/my/meshes/:mesh/grants`: set what `peer` (a member id) may do to you; null restores the default (everything). */
export const UpdateGrantRequest = lazySchema(() =>
  z.object({
    peer: z.string().min(1).max(200),
    capabilities: z.array(Capability).max(ALL_CAPABILITIES.length).nullable(),
  }),
);
export type UpdateGrantRequest = z.infer<typeof UpdateGrantRequest>;

/** What you let one member do, as a person reads it: everything, one capability, or nothing. */
export type GrantState = "allowed" | "dm" | "broadcast" | "blocked";

/**
 * Reads one member's entry of your `Grants` (`grants.peers[memberId]`): missing means
 * everything, an empty list blocked.
 *
 * @example
 * grantState(undefined); // "allowed"
 * grantState(["dm"]); // "dm"
 * grantState([]); // "blocked"
 */
export function grantState(capabilities: readonly Capability[] | undefined): GrantState {
  if (capabilities === undefined) return "allowed";
  const dm = capabilities.includes("dm");
  const broadcast = capabilities.includes("broadcast");
  if (dm && broadcast) return "allowed";
  if (dm) return "dm";
  if (broadcast) return "broadcast";
  return "blocked";
}

// ── peer → broker ─────────────────────────────────────────────────────────────

/**
 * The first frame on a socket. `visible: false` is for short-lived commands (`send`,
 * `inbox`): the connection is not announced and does not show in peer lists.
 */
export const HelloFrame = lazySchema(() =>
  z.object({
    type: z.literal("hello"),
    session_id: SessionId,
    kind: PeerKind,
    display_name: DisplayName(100).optional(),
    role: DisplayName(64).optional(),
    host: DisplayName(255).optional(),
    visible: z.boolean().default(true),
  }),
);

/** A recipient: one member (all of their sessions), one session of a member, or everyone in the mesh. */
export const Recipient = lazySchema(() =>
  z.union([
    z.object({ member_id: StorableText().min(1).max(200), session_id: SessionId.optional() }),
    z.literal("@all"),
  ]),
);
export type Recipient = z.infer<typeof Recipient>;

/**
 * A message to send. `body` is opaque to the broker (a later issue encrypts it end to end);
 * `client_ref` is the sender's own id for it, echoed in `sent` so a retry after a lost
 * answer can be matched, and a resend with the same ref is not stored twice.
 */
export const SendFrame = lazySchema(() =>
  z.object({
    type: z.literal("send"),
    client_ref: StorableText().min(1).max(64),
    to: Recipient,
    body: StorableText(),
  }),
);

/**
 * The messages this peer has taken in; the broker then stops delivering them. With
 * `confirm`, the broker answers `acked` once this ack (and every one before it on the
 * socket) is stored: a reader about to close waits for it, so its next connection,
 * on any instance, does not get them again.
 */
export const AckFrame = lazySchema(() =>
  z.object({
    type: z.literal("ack"),
    message_ids: z.array(StorableText()).min(1).max(500),
    confirm: z.boolean().optional(),
  }),
);

export const PeerFrame = lazySchema(() => z.discriminatedUnion("type", [HelloFrame, SendFrame, AckFrame]));
export type PeerFrame = z.input<typeof PeerFrame>;

// ── broker → peer ─────────────────────────────────────────────────────────────

/** Answer to `hello`: who you are in this mesh and who is online. Queued messages follow, then `synced`. */
export const WelcomeFrame = lazySchema(() =>
  z.object({
    type: z.literal("welcome"),
    mesh: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    you: Peer,
    peers: z.array(Peer),
  }),
);

/** Every message queued for you when you connected has been sent; later ones arrive as they come. */
export const SyncedFrame = lazySchema(() => z.object({ type: z.literal("synced") }));

/** The broker stored your message (or dropped it by the recipient's grants, which it does not tell). */
export const SentFrame = lazySchema(() =>
  z.object({ type: z.literal("sent"), client_ref: z.string(), message_id: z.string() }),
);

/** A message for you. Delivered at least once: ack it, and ignore a `message_id` you have seen. */
export const MessageFrame = lazySchema(() =>
  z.object({
    type: z.literal("message"),
    message_id: z.string(),
    from: z.object({ member_id: z.string(), session_id: z.string(), display_name: z.string() }),
    /** `direct` to you (or one of your sessions), or `all` for a message to the whole mesh. */
    to: z.enum(["direct", "all"]),
    body: z.string(),
    sent_at: Timestamp,
  }),
);
export type MessageFrame = z.infer<typeof MessageFrame>;

/** Answer to an `ack` with `confirm`: these acks, and every earlier one on the socket, are stored. */
export const AckedFrame = lazySchema(() => z.object({ type: z.literal("acked"), message_ids: z.array(z.string()) }));

/** A peer came online or went away. */
export const PresenceFrame = lazySchema(() =>
  z.object({ type: z.literal("presence"), peer: Peer, online: z.boolean() }),
);

/** Something you sent was refused; `ref` names the frame (`client_ref`) when there was one. The socket stays open. */
export const ErrorFrame = lazySchema(() =>
  z.object({ type: z.literal("error"), error: z.string(), message: z.string(), ref: z.string().optional() }),
);

export const BrokerFrame = lazySchema(() =>
  z.discriminatedUnion("type", [
    WelcomeFrame,
    SyncedFrame,
    SentFrame,
    MessageFrame,
    AckedFrame,
    PresenceFrame,
    ErrorFrame,
  ]),
);
export type BrokerFrame = z.infer<typeof BrokerFrame>;

/**
 * WebSocket close codes the broker uses, beyond the standard ones (1008 policy,
 * 1009 too big, 1011 server error): clients tell an ended credential from a
 * kicked connection without parsing a reason.
 */
export const BROKER_CLOSE = {
  /** The token was revoked or expired: sign in again. */
  credentialEnded: 4001,
  /** You are no longer a member of this mesh. */
  notMember: 4003,
  /** Another connection took this session id. */
  replaced: 4009,
  /** Too many messages or connections: back off. */
  rateLimited: 4029,
} as const;
