import { CreateTokenRequest, PAT_LIFETIMES_DAYS, refuseTokenAsId } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { formatDate, tokenOrigin } from "../format.js";
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
        .option("--name <name>", t.tokens.name)
        .option("--expires-in <lifetime>", t.tokens.expiresIn)
        .option("--json", t.tokens.jsonUrl)
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
  name?: string;
  expiresIn?: string;
  json?: boolean;
}

/** The dashboard page where tokens are made (the server's, not this process's to choose). */
export const TOKENS_PAGE_PATH = "/dashboard/settings/cli-tokens";

/**
 * Personal access tokens are made only in a browser session, never with a
 * token (a stolen one must not mint itself a longer life), so this opens the
 * dashboard's form, filled in with `--name` and `--expires-in`, and prints its
 * URL on stdout.
 */
export async function runTokensCreate(options: TokensCreateOptions, ctx: CliContext): Promise<number> {
  const { t } = ctx;
  const days = options.expiresIn === undefined ? undefined : parseLifetime(options.expiresIn, t);
  if (options.name !== undefined) {
    checkInput(
      CreateTokenRequest,
      { name: options.name, expires_in_days: days },
      { name: "--name", expires_in_days: "--expires-in" },
      t,
    );
  }
  const url = new URL(TOKENS_PAGE_PATH, ctx.apiUrl());
  if (options.name) url.searchParams.set("name", options.name.trim());
  // The form offers only some lifetimes; another is left for the person to pick there.
  if (days !== undefined && (PAT_LIFETIMES_DAYS as readonly (number | null)[]).includes(days)) {
    url.searchParams.set("expiry", days === null ? "never" : String(days));
  }
  const page = url.toString();
  ctx.out.say(t.tokens.inBrowser);
  const notOpened = await ctx.openBrowser(page);
  if (notOpened) ctx.out.warn(t.login.notOpening(notOpened));
  ctx.out.print(options.json ? JSON.stringify({ url: page }, null, 2) : page);
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
    const origin = tokenOrigin(token, t);
    ctx.out.print(`${token.id}  ${token.name}  ${origin ? `${origin}  ` : ""}(${expires}, ${used})`);
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
