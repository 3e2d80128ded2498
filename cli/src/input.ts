import { ClaudemeshError } from "@claudemesh/sdk/errors";

/** What `checkInput` needs of a zod schema (the SDK's request contracts). */
interface RequestContract<Output> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: Output }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
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
): Output {
  const parsed = contract.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? "");
  throw new ClaudemeshError("invalid_input", `${flags[field] ?? field}: ${issue?.message ?? "not valid"}`);
}
