import * as z from "zod";
import { CredentialFlow, Timestamp } from "./common.js";
import { lazySchema } from "./lazy-schema.js";
import { DisplayName } from "./neutral-text.js";

/** Lifetimes offered for personal access tokens, in days; null is "never". */
export const PAT_LIFETIMES_DAYS = [30, 90, 365, null] as const;
export const DEFAULT_PAT_LIFETIME_DAYS = 365;

/** `POST /api/my/cli/tokens` */
export const CreateTokenRequest = lazySchema(() =>
  z.object({
    name: DisplayName(100),
    /** Days until it expires, 1–3650; null never expires; omitted is 365. */
    expires_in_days: z.number().int().min(1).max(3650).nullable().optional(),
  }),
);
export type CreateTokenRequest = z.infer<typeof CreateTokenRequest>;

/** A personal access token as listed: never its value. */
export const TokenSummary = lazySchema(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    created_at: Timestamp,
    last_used_at: Timestamp.nullable(),
    expires_at: Timestamp.nullable(),
    /** Where it was created from (absent from servers before 0.12). */
    ip_address: z.string().nullable().optional(),
    /** The browser it was created in, as fixed names ("Chrome · Linux"), or null. */
    browser: z.string().nullable().optional(),
    /** How it was obtained: `web` for a PAT made on the dashboard; null when not recorded. */
    flow: CredentialFlow.nullable().optional(),
  }),
);
export type TokenSummary = z.infer<typeof TokenSummary>;

/** The creation answer: the only time the raw token is ever sent. */
export const CreatedToken = lazySchema(() => TokenSummary.extend({ token: z.string() }));
export type CreatedToken = z.infer<typeof CreatedToken>;

/** `GET /api/my/cli/tokens` */
export const TokenList = lazySchema(() => z.object({ tokens: z.array(TokenSummary) }));
export type TokenList = z.infer<typeof TokenList>;
