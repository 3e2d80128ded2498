import { hasUnsafeCharacters, hasVisibleCharacter, invisibleCharacter } from "@claudemesh/sdk/contracts";
import type { Messages } from "./i18n/en.js";
import { LocalizedError } from "./i18n/language.js";

/** What the CLI reads of a zod issue: where, which check, and the check's bound or format. */
interface Issue {
  path: readonly PropertyKey[];
  code: string;
  format?: string;
  maximum?: unknown;
}

/** What `checkInput` needs of a zod schema (the SDK's request contracts). */
interface RequestContract<Output> {
  safeParse(value: unknown): { success: true; data: Output } | { success: false; error: { issues: readonly Issue[] } };
}

/**
 * What is wrong with a value, in the catalogue's words: by the check that
 * failed (zod's issue code), not by the contract's English message.
 */
function problem(issue: Issue | undefined, value: unknown, t: Messages): string {
  if (issue?.code === "invalid_format") return issue.format === "email" ? t.input.notAnEmail : t.input.notASlug;
  if (issue?.code === "too_small") return t.input.required;
  if (issue?.code === "too_big" && typeof issue.maximum === "number") return t.input.tooLong(issue.maximum);
  // The contracts' own refinements: a slug shaped like a mesh id; a name with control, invisible or no visible characters.
  if (issue?.code === "custom" && issue.path[0] === "slug") return t.input.idShapedSlug;
  if (issue?.code === "custom" && typeof value === "string") {
    const invisible = invisibleCharacter(value);
    if (hasUnsafeCharacters(value)) return t.input.unsafeName;
    if (invisible) return t.input.invisibleCharacter(invisible);
    if (!hasVisibleCharacter(value)) return t.input.noVisibleCharacter;
  }
  return t.input.notValid;
}

/**
 * Checks what was typed against the request's contract before anything else
 * happens (signing in included), so a typo is exit 1 with the flag named, not
 * a "not signed in" or a server round trip. `flags` names each field as typed.
 */
export function checkInput<Output>(
  contract: RequestContract<Output>,
  value: unknown,
  flags: Record<string, string>,
  t: Messages,
): Output {
  const parsed = contract.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? "");
  const given = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[field] : undefined;
  throw new LocalizedError("invalid_input", `${flags[field] ?? field}: ${problem(issue, given, t)}`);
}
