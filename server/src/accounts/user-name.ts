import { DisplayName } from "@claudemesh/sdk/contracts";
import { APIError } from "better-auth/api";

/** A user's name: shown on pages, in the CLI and in invite emails, so capped and neutral. */
export const UserName = DisplayName(100);

/**
 * The name a sign-up or profile update sets, checked whichever door it came
 * through (Better Auth's JSON routes or the web form): a 400 when it is empty,
 * too long, or holds control or bidirectional-override characters.
 */
export function checkedUserName(name: unknown): { name: string } | undefined {
  if (name === undefined) return undefined;
  const parsed = UserName.safeParse(name);
  if (!parsed.success) {
    throw APIError.from("BAD_REQUEST", {
      code: "INVALID_NAME",
      message: `name: ${parsed.error.issues[0]?.message ?? "not allowed"}`,
    });
  }
  return { name: parsed.data };
}
