import { ClaudemeshError, CreateInviteRequest, MAX_INVITE_SECONDS } from "@claudemesh/sdk";
import { Command, Option } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
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

/** `claudemesh invite --mesh <slug> [--email] [--role] [--expires-in 7d]`: prints the invite link. */
export function inviteCommand(ctx: CliContext): Command {
  return new Command("invite")
    .description("invite someone to a mesh; prints a single-use link (and emails it with --email)")
    .requiredOption("--mesh <slug>", "the mesh, by slug or id")
    .option("--email <address>", "also email the link; only an account that has verified that address can accept it")
    .addOption(new Option("--role <role>", "what they join as").choices(["member", "admin"]).default("member"))
    .option("--expires-in <time>", "how long the link works: 30m, 12h, 7d (at most 30d)", "7d")
    .option("--json", "print JSON (includes the link)")
    .action(
      async (options: {
        mesh: string;
        email?: string;
        role: "member" | "admin";
        expiresIn: string;
        json?: boolean;
      }) => {
        const request = checkInput(
          CreateInviteRequest,
          { email: options.email, role: options.role, expires_in: parseInviteLifetime(options.expiresIn) },
          { email: "--email", role: "--role", expires_in: "--expires-in" },
        );
        const { api } = await authenticatedApi(ctx);
        const invite = await api.createInvite(options.mesh, request);
        if (options.json) return ctx.out.print(JSON.stringify(invite, null, 2));
        const { out } = ctx;
        out.success(
          `Invite to ${out.bold(invite.mesh.slug)} as ${invite.role}, until ${formatDate(invite.expires_at)}:`,
        );
        out.print(invite.url);
        if (invite.email_status === "sent") out.success(`Emailed to ${invite.email}`);
        if (invite.email_status === "queued") {
          out.warn(`The server has no mail set up; send ${invite.email} the link yourself.`);
        }
        if (invite.email_status === "failed") out.warn(`Emailing ${invite.email} failed; send them the link yourself.`);
        out.say(out.dim("It works once. They can open it in a browser or run `claudemesh join <link>`."));
      },
    );
}
