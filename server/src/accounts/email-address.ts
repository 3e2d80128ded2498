/** The longest address a form may name (RFC 5321's path limit, less its brackets). */
export const MAX_EMAIL_LENGTH = 254;

/**
 * Whether a typed address looks like one: at most 254 characters, no white space, one
 * `@` with something before it, and a dot inside the domain. Checked by hand, in one
 * pass, and the length first: the pattern it replaces, `/^[^\s@]+@[^\s@]+\.[^\s@]+$/`,
 * backtracks quadratically, and a 60 KB `a@a.a.a.…@` (inside the 64 KB body limit)
 * held an instance's event loop for 2.4 s before any limit counted the request.
 */
export function looksLikeEmail(email: string): boolean {
  if (email.length > MAX_EMAIL_LENGTH || /\s/.test(email)) return false;
  const at = email.indexOf("@");
  if (at < 1 || at !== email.lastIndexOf("@")) return false;
  // A dot with something on both sides of it.
  return email.slice(at + 2, -1).includes(".");
}
