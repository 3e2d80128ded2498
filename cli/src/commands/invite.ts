import { type ApiClient, ClaudemeshError, CreateInviteRequest, MAX_INVITE_SECONDS } from "@claudemesh/sdk";
import { Command, Option } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { formatDate } from "../format.js";
import { checkInput } from "../input.js";

const UNIT_SECONDS: Record<string, number> = { m: 60, h: 3600, d: 86_400 };

/** `30m`, `12h`, `7d` → seconds, within what the server allows. */
export function parseInviteLifetime(value: string): number {
  const match = /^(\d+)\s*([mhd])$/.exec(value.trim().toLowerCase());
  const seconds = match ? Number(match[1]) * (UNIT_SECONDS[match[2] ?? "d"] ?? 0) : Number.NaN;
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > MAX_INVITE_SECONDS) {
    throw new ClaudemeshError(
      "invalid_input",
      `--expires-in must be like 30m, 12h or 7d, at most 30d (got "${value}").`,
    );
  }
  return seconds;
}

/**
 * The mesh to invite to when `--mesh` is not given: the only one the caller can
 * invite to (owner or admin), a pick at a terminal, or an error naming the slugs.
 */
export async function chooseInviteMesh(ctx: CliContext, api: ApiClient): Promise<string> {
  const { meshes } = await api.listMeshes();
  const mine = meshes.filter((mesh) => mesh.role !== "member");
  const [only] = mine;
  if (mine.length === 1 && only) return only.slug;
  if (mine.length === 0) {
    throw new ClaudemeshError(
      "invalid_input",
      meshes.length === 0
        ? 'You are in no mesh yet. Create one first: claudemesh create "Platform team".'
        : "Only a mesh's owners and admins can invite, and you are neither in any of yours.",
    );
  }
  if (!ctx.out.io.isTTY || !ctx.out.io.stdinIsTTY) {
    throw new ClaudemeshError(
      "invalid_input",
      `Which mesh? Name it with --mesh: ${mine.map((mesh) => mesh.slug).join(", ")}.`,
    );
  }
  return ctx.prompts.select({
    message: "Invite to which mesh?",
    options: mine.map((mesh) => ({ value: mesh.slug, label: mesh.slug, hint: `${mesh.name} · ${mesh.role}` })),
  });
}

/** `claudemesh invite [--mesh <slug>] [--email] [--role] [--expires-in 7d]`: prints the invite link. */
export function inviteCommand(ctx: CliContext): Command {
  return new Command("invite")
    .description("invite someone to a mesh; prints a single-use link (and emails it with --email)")
    .option("--mesh <slug>", "the mesh, by slug or id (default: your only one; at a terminal, a pick)")
    .option("--email <address>", "also email the link; only an account that has verified that address can accept it")
    .addOption(new Option("--role <role>", "what they join as").choices(["member", "admin"]).default("member"))
    .option("--expires-in <time>", "how long the link works: 30m, 12h, 7d (at most 30d)", "7d")
    .option("--json", "print JSON (includes the link)")
    .action(returnsStatus((options: InviteOptions) => runInvite(options, ctx)));
}

export interface InviteOptions {
  mesh?: string;
  email?: string;
  role: "member" | "admin";
  expiresIn: string;
  json?: boolean;
}

export async function runInvite(options: InviteOptions, ctx: CliContext): Promise<number> {
  const request = checkInput(
    CreateInviteRequest,
    { email: options.email, role: options.role, expires_in: parseInviteLifetime(options.expiresIn) },
    { email: "--email", role: "--role", expires_in: "--expires-in" },
  );
  const { api } = await authenticatedApi(ctx);
  const invite = await api.createInvite(options.mesh ?? (await chooseInviteMesh(ctx, api)), request);
  if (options.json) {
    ctx.out.print(JSON.stringify(invite, null, 2));
    return 0;
  }
  const { out } = ctx;
  out.success(`Invite to ${out.bold(invite.mesh.slug)} as ${invite.role}, until ${formatDate(invite.expires_at)}:`);
  out.print(invite.url);
  if (invite.email_status === "sent") out.success(`Emailed to ${invite.email}`);
  if (invite.email_status === "queued") {
    out.warn(`The server has no mail set up; send ${invite.email} the link yourself.`);
  }
  if (invite.email_status === "failed") out.warn(`Emailing ${invite.email} failed; send them the link yourself.`);
  out.say(out.dim("It works once. They can open it in a browser or run `claudemesh join <link>`."));
  return 0;
}
