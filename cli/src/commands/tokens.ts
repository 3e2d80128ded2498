import { CreateTokenRequest, DEFAULT_PAT_LIFETIME_DAYS, refuseTokenAsId } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { formatDate } from "../format.js";
import { en, type Messages } from "../i18n/en.js";
import { LocalizedError } from "../i18n/language.js";
import { checkInput } from "../input.js";

/** `30d`, `90d`, `1y`, `365` or `never` → days (null = never). */
export function parseLifetime(value: string, t: Messages = en): number | null {
  const text = value.trim().toLowerCase();
  if (text === "never") return null;
  const match = /^(\d+)\s*(d|days?|y|years?)?$/.exec(text);
  const amount = Number(match?.[1]);
  if (!match || !Number.isInteger(amount) || amount < 1) {
    throw new LocalizedError("invalid_input", t.tokens.badLifetime(value));
  }
  const days = match[2]?.startsWith("y") ? amount * 365 : amount;
  if (days > 3650) throw new LocalizedError("invalid_input", t.tokens.tooLong);
  return days;
}

/** Days as `--expires-in` spells them: whole years as `1y`, else `90d`. */
export function formatLifetime(days: number): string {
  return days % 365 === 0 ? `${days / 365}y` : `${days}d`;
}

/** `claudemesh tokens create|list|revoke`: personal access tokens for CI and scripts. */
export function tokensCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("tokens")
    .description(t.tokens.description)
    .addCommand(
      new Command("create")
        .description(t.tokens.create)
        .requiredOption("--name <name>", t.tokens.name)
        .option("--expires-in <lifetime>", t.tokens.expiresIn, formatLifetime(DEFAULT_PAT_LIFETIME_DAYS))
        .option("--json", t.tokens.jsonWithToken)
        .action(returnsStatus((options: TokensCreateOptions) => runTokensCreate(options, ctx))),
    )
    .addCommand(
      new Command("list")
        .description(t.tokens.list)
        .option("--json", t.json)
        .action(returnsStatus((options: { json?: boolean }) => runTokensList(options, ctx))),
    )
    .addCommand(
      new Command("revoke")
        .description(t.tokens.revoke)
        .argument("<id>", t.tokens.id)
        .action(returnsStatus((id: string) => runTokensRevoke(id, ctx))),
    );
}

export interface TokensCreateOptions {
  name: string;
  expiresIn: string;
  json?: boolean;
}

export async function runTokensCreate(options: TokensCreateOptions, ctx: CliContext): Promise<number> {
  const { t } = ctx;
  const request = checkInput(
    CreateTokenRequest,
    { name: options.name, expires_in_days: parseLifetime(options.expiresIn, t) },
    { name: "--name", expires_in_days: "--expires-in" },
    t,
  );
  const { api } = await authenticatedApi(ctx);
  const created = await api.createToken(request);
  if (options.json) ctx.out.print(JSON.stringify(created, null, 2));
  else ctx.out.print(created.token);
  const expiry = created.expires_at ? t.tokens.expires(formatDate(created.expires_at, t)) : t.tokens.neverExpires;
  ctx.out.success(t.tokens.created(created.name, expiry));
  ctx.out.warn(t.tokens.copyNow);
  return 0;
}

export async function runTokensList(options: { json?: boolean }, ctx: CliContext): Promise<number> {
  const { api } = await authenticatedApi(ctx);
  const { tokens } = await api.listTokens();
  const { t } = ctx;
  if (options.json) ctx.out.print(JSON.stringify({ tokens }, null, 2));
  else if (tokens.length === 0) ctx.out.say(t.tokens.none);
  for (const token of options.json ? [] : tokens) {
    const expires = token.expires_at ? t.tokens.expires(formatDate(token.expires_at, t)) : t.tokens.neverExpires;
    const used = token.last_used_at ? t.sessions.lastUsed(formatDate(token.last_used_at, t)) : t.sessions.neverUsed;
    ctx.out.print(`${token.id}  ${token.name}  (${expires}, ${used})`);
  }
  return 0;
}

export async function runTokensRevoke(id: string, ctx: CliContext): Promise<number> {
  refuseTokenAsId(id);
  const { api } = await authenticatedApi(ctx);
  await api.revokeToken(id);
  ctx.out.success(ctx.t.tokens.revoked(id));
  return 0;
}
