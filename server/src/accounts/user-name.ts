import { DisplayName, hasVisibleCharacter, invisibleCharacter } from "@claudemesh/sdk/contracts";
import { APIError } from "better-auth/api";

/** A user's name: shown on pages, in the CLI and in invite emails, so capped and neutral. */
export const UserName = DisplayName(100);

/** Whether a name holds an invisible character or nothing a reader sees: it would look blank, or like another. */
export function looksBlankOrAlike(name: string): boolean {
  return invisibleCharacter(name) !== null || !hasVisibleCharacter(name);
}

/**
 * The name a sign-up or profile update sets, checked whichever door it came
 * through (Better Auth's JSON routes or the web form): a 400 when it is empty,
 * too long, holds control, bidirectional-override or invisible characters, or
 * shows nothing.
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
