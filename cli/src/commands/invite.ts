import { type ApiClient, CreateInviteRequest, MAX_INVITE_SECONDS } from "@claudemesh/sdk";
import { Command, Option } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { formatDate } from "../format.js";
import { en, type Messages } from "../i18n/en.js";
import { LocalizedError, roleText } from "../i18n/language.js";
import { checkInput } from "../input.js";
import { chooseMesh } from "../mesh-choice.js";

const UNIT_SECONDS: Record<string, number> = { m: 60, h: 3600, d: 86_400 };

/** `30m`, `12h`, `7d` → seconds, within what the server allows. */
export function parseInviteLifetime(value: string, t: Messages = en): number {
  const match = /^(\d+)\s*([mhd])$/.exec(value.trim().toLowerCase());
  const seconds = match ? Number(match[1]) * (UNIT_SECONDS[match[2] ?? "d"] ?? 0) : Number.NaN;
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > MAX_INVITE_SECONDS) {
    throw new LocalizedError("invalid_input", t.invite.badLifetime(value));
  }
  return seconds;
}

/**
 * The mesh to invite to when `--mesh` is not given: the only one the caller can
 * invite to (owner or admin), a pick at a terminal, or an error naming the slugs.
 */
export function chooseInviteMesh(ctx: CliContext, api: ApiClient): Promise<string> {
  const { t } = ctx;
  const words = { ...t.invite, noneEligible: t.invite.notAdmin };
  return chooseMesh(ctx, api, words, (mesh) => mesh.role !== "member");
}

/** `claudemesh invite [--mesh <slug>] [--email] [--role] [--expires-in 7d]`: prints the invite link. */
export function inviteCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("invite")
    .description(t.invite.description)
    .option("--mesh <slug>", t.invite.mesh)
    .option("--email <address>", t.invite.email)
    .addOption(new Option("--role <role>", t.invite.role).choices(["member", "admin"]).default("member"))
    .option("--expires-in <time>", t.invite.expiresIn, "7d")
    .option("--json", t.invite.json)
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
  const { t } = ctx;
  const request = checkInput(
    CreateInviteRequest,
    { email: options.email, role: options.role, expires_in: parseInviteLifetime(options.expiresIn, t) },
    { email: "--email", role: "--role", expires_in: "--expires-in" },
    t,
  );
  const { api } = await authenticatedApi(ctx);
  const invite = await api.createInvite(options.mesh ?? (await chooseInviteMesh(ctx, api)), request);
  if (options.json) {
    ctx.out.print(JSON.stringify(invite, null, 2));
    return 0;
  }
  const { out } = ctx;
  out.success(t.invite.created(out.bold(invite.mesh.slug), roleText(invite.role, t), formatDate(invite.expires_at, t)));
  out.print(invite.url);
  const email = invite.email ?? "";
  if (invite.email_status === "sent") out.success(t.invite.emailed(email));
  if (invite.email_status === "queued") out.warn(t.invite.noMail(email));
  if (invite.email_status === "failed") out.warn(t.invite.mailFailed(email));
  out.say(out.dim(t.invite.once));
  return 0;
}
