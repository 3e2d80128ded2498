import * as z from "zod";
import { Timestamp } from "./common.js";
import { lazySchema } from "./lazy-schema.js";
import { DisplayName } from "./neutral-text.js";

/** Lowercase letters, digits and single dashes, 1–48 characters, no dash at either end. */
export const MESH_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

/** A mesh id: a UUID (the server makes them with randomUUID), in any case. */
const MESH_ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True when `value` has the shape of a mesh id. Slugs never do, so wherever a
 * mesh is named "by id or slug" an id-shaped name is looked up by id only and
 * anything else by slug only: one mesh's slug cannot stand for another's id.
 *
 * @example
 * isMeshIdShaped("0f8fad5b-d9cb-469f-a165-70867728950e"); // true
 * isMeshIdShaped("platform-team"); // false
 */
export function isMeshIdShaped(value: string): boolean {
  return MESH_ID_SHAPE.test(value);
}

const ID_SHAPED_SLUG_MESSAGE = "must not have the shape of a mesh id (a UUID)";

/**
 * The slug a mesh name becomes when none is given; never id-shaped (a name that
 * is a UUID gets a `mesh-` prefix).
 *
 * @example
 * slugify("Platform team"); // "platform-team"
 * slugify("Équipe Ñandú!"); // "equipe-nandu"
 */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
  if (isMeshIdShaped(slug)) return `mesh-${slug}`;
  return slug || "mesh";
}

export const MeshRole = lazySchema(() => z.enum(["owner", "admin", "member"]));
export type MeshRole = z.infer<typeof MeshRole>;
/** Roles an invite can grant (ownership is never handed out by link). */
export const InviteRole = lazySchema(() => z.enum(["admin", "member"]));
export type InviteRole = z.infer<typeof InviteRole>;

/** `POST /api/my/meshes` */
export const CreateMeshRequest = lazySchema(() =>
  z.object({
    name: DisplayName(100),
    slug: z
      .string()
      .regex(MESH_SLUG_PATTERN, "slug: lowercase letters, digits and dashes, 1–48 characters")
      .refine((slug) => !isMeshIdShaped(slug), ID_SHAPED_SLUG_MESSAGE)
      .optional(),
  }),
);
export type CreateMeshRequest = z.infer<typeof CreateMeshRequest>;

/** A mesh as its member sees it. */
export const Mesh = lazySchema(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    role: MeshRole,
    member_count: z.number().int(),
    created_at: Timestamp,
    joined_at: Timestamp,
  }),
);
export type Mesh = z.infer<typeof Mesh>;

/** `GET /api/my/meshes` */
export const MeshList = lazySchema(() => z.object({ meshes: z.array(Mesh) }));
export type MeshList = z.infer<typeof MeshList>;

/** 409 from `POST /api/my/meshes` when the slug is someone else's, with one that is free. */
export const SlugTakenBody = lazySchema(() =>
  z.object({
    error: z.literal("slug_taken"),
    message: z.string(),
    suggestion: z.string(),
  }),
);
export type SlugTakenBody = z.infer<typeof SlugTakenBody>;

/** Longest an invite may live: 30 days, in seconds. */
export const MAX_INVITE_SECONDS = 30 * 24 * 60 * 60;
export const DEFAULT_INVITE_SECONDS = 7 * 24 * 60 * 60;

/**
 * An address an invite may go to: the WHATWG form check (what a browser's
 * `type=email` field accepts) with a dot in the domain. zod's default asks for
 * a top-level domain of two letters or more, so the seed's own `a@b.c` failed.
 */
export const INVITE_EMAIL_PATTERN =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

/** `POST /api/my/meshes/:id/invites` (`:id` may also be the slug). */
export const CreateInviteRequest = lazySchema(() =>
  z.object({
    email: z.email({ pattern: INVITE_EMAIL_PATTERN, error: "not an email address" }).max(254).optional(),
    role: InviteRole.default("member"),
    /** Seconds until it expires; 7 days when omitted. */
    expires_in: z.number().int().min(60).max(MAX_INVITE_SECONDS).default(DEFAULT_INVITE_SECONDS),
  }),
);
export type CreateInviteRequest = z.input<typeof CreateInviteRequest>;

/** What the invite's email did: sent over SMTP, queued in the outbox (no SMTP configured), failed, or none asked. */
export const InviteEmailStatus = lazySchema(() => z.enum(["sent", "queued", "failed", "none"]));

/** The new invite; `url` carries its secret and is shown once. */
export const CreatedInvite = lazySchema(() =>
  z.object({
    id: z.string(),
    url: z.string(),
    mesh: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    role: InviteRole,
    email: z.string().nullable(),
    expires_at: Timestamp,
    email_status: InviteEmailStatus,
  }),
);
export type CreatedInvite = z.infer<typeof CreatedInvite>;

/** `GET /api/invites/:secret`: what accepting would join. */
export const InvitePreview = lazySchema(() =>
  z.object({
    mesh: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    role: InviteRole,
    invited_by: z.string().nullable(),
    expires_at: Timestamp,
  }),
);
export type InvitePreview = z.infer<typeof InvitePreview>;

/** `POST /api/invites/:secret/accept` */
export const AcceptedInvite = lazySchema(() => z.object({ mesh: Mesh, already_member: z.boolean() }));
export type AcceptedInvite = z.infer<typeof AcceptedInvite>;

/**
 * The secret in an invite URL (`…/invite/<secret>`), or the secret itself; null when neither.
 *
 * @example
 * inviteSecretFrom("https://mesh.example/invite/abc…"); // "abc…"
 */
export function inviteSecretFrom(input: string): string | null {
  const trimmed = input.trim();
  let candidate = trimmed;
  if (/^https?:\/\//i.test(trimmed)) {
    try {
      candidate = new URL(trimmed).pathname.match(/\/invite\/([^/]+)\/?$/)?.[1] ?? "";
    } catch {
      return null;
    }
  }
  return /^[A-Za-z0-9_-]{32,128}$/.test(candidate) ? candidate : null;
}
