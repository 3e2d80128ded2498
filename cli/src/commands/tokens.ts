import { ClaudemeshError, CreateTokenRequest, DEFAULT_PAT_LIFETIME_DAYS, refuseTokenAsId } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { formatDate } from "../format.js";
import { checkInput } from "../input.js";

/** `30d`, `90d`, `1y`, `365` or `never` → days (null = never). */
export function parseLifetime(value: string): number | null {
  const text = value.trim().toLowerCase();
  if (text === "never") return null;
  const match = /^(\d+)\s*(d|days?|y|years?)?$/.exec(text);
  const amount = Number(match?.[1]);
  if (!match || !Number.isInteger(amount) || amount < 1) {
    throw new ClaudemeshError("invalid_input", `--expires-in must be like 30d, 90d, 1y or never (got "${value}").`);
  }
  const days = match[2]?.startsWith("y") ? amount * 365 : amount;
  if (days > 3650) throw new ClaudemeshError("invalid_input", "--expires-in can be at most 10 years (or never).");
  return days;
}

/** Days as `--expires-in` spells them: whole years as `1y`, else `90d`. */
export function formatLifetime(days: number): string {
  return days % 365 === 0 ? `${days / 365}y` : `${days}d`;
}

/** `claudemesh tokens create|list|revoke`: personal access tokens for CI and scripts. */
export function tokensCommand(ctx: CliContext): Command {
  return new Command("tokens")
    .description("create, list and revoke personal access tokens")
    .addCommand(
      new Command("create")
        .description("create a token (printed once, on stdout)")
        .requiredOption("--name <name>", "what it is for, e.g. ci-deploy")
        .option("--expires-in <lifetime>", "30d, 90d, 1y or never", formatLifetime(DEFAULT_PAT_LIFETIME_DAYS))
        .option("--json", "print JSON (includes the token)")
        .action(returnsStatus((options: TokensCreateOptions) => runTokensCreate(options, ctx))),
    )
    .addCommand(
      new Command("list")
        .description("list your tokens (never their values)")
        .option("--json", "print JSON")
        .action(returnsStatus((options: { json?: boolean }) => runTokensList(options, ctx))),
    )
    .addCommand(
      new Command("revoke")
        .description("revoke a token; anything using it stops working at once")
        .argument("<id>", "token id from `claudemesh tokens list`")
        .action(returnsStatus((id: string) => runTokensRevoke(id, ctx))),
    );
}

export interface TokensCreateOptions {
  name: string;
  expiresIn: string;
  json?: boolean;
}

export async function runTokensCreate(options: TokensCreateOptions, ctx: CliContext): Promise<number> {
  const request = checkInput(
    CreateTokenRequest,
    { name: options.name, expires_in_days: parseLifetime(options.expiresIn) },
    { name: "--name", expires_in_days: "--expires-in" },
  );
  const { api } = await authenticatedApi(ctx);
  const created = await api.createToken(request);
  if (options.json) ctx.out.print(JSON.stringify(created, null, 2));
  else ctx.out.print(created.token);
  ctx.out.success(
    `Created token "${created.name}" (${created.expires_at ? `expires ${formatDate(created.expires_at)}` : "never expires"})`,
  );
  ctx.out.warn("Copy it now: it will not be shown again.");
  return 0;
}

export async function runTokensList(options: { json?: boolean }, ctx: CliContext): Promise<number> {
  const { api } = await authenticatedApi(ctx);
  const { tokens } = await api.listTokens();
  if (options.json) ctx.out.print(JSON.stringify({ tokens }, null, 2));
  else if (tokens.length === 0) ctx.out.say("No personal access tokens.");
  for (const token of options.json ? [] : tokens) {
    const expires = token.expires_at ? `expires ${formatDate(token.expires_at)}` : "never expires";
    const used = token.last_used_at ? `last used ${formatDate(token.last_used_at)}` : "never used";
    ctx.out.print(`${token.id}  ${token.name}  (${expires}, ${used})`);
  }
  return 0;
}

export async function runTokensRevoke(id: string, ctx: CliContext): Promise<number> {
  refuseTokenAsId(id);
  const { api } = await authenticatedApi(ctx);
  await api.revokeToken(id);
  ctx.out.success(`Revoked token ${id}`);
  return 0;
}
