import * as z from "zod";
import { Timestamp, User } from "./common.js";
import { lazySchema } from "./lazy-schema.js";

/** How the caller authenticated: a CLI session token, a PAT, or a browser session. */
export const CredentialKind = lazySchema(() => z.enum(["session", "pat", "web"]));
export type CredentialKind = z.infer<typeof CredentialKind>;

/** `GET /api/my/whoami` */
export const Whoami = lazySchema(() =>
  z.object({
    user: User,
    credential: z.object({
      kind: CredentialKind,
      /** The token's id (null for a browser session). */
      id: z.string().nullable(),
      /** A PAT's name, or the device name of a CLI session. */
      name: z.string().nullable(),
      expires_at: Timestamp.nullable(),
    }),
  }),
);
export type Whoami = z.infer<typeof Whoami>;
