/**
 * A hung request fails instead of hanging the suite. Bursts queue dozens of password
 * hashes behind each other on 2 cores, so a slow answer is no failure: the bound is
 * a third of the test's own timeout (10 s timed out under load).
 */
export const REQUEST_TIMEOUT_MS = 60_000;

/** POSTs JSON as a same-origin browser page would (Better Auth refuses cookie POSTs without `Origin`). */
export function postJson(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  timeoutMs = REQUEST_TIMEOUT_MS,
) {
  return fetch(new URL(path, baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json", origin: new URL(baseUrl).origin, ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
}

/** Signs a new account up through Better Auth, then in (sign-up signs nobody in); returns the browser's session cookie. */
export async function signUp(baseUrl: string, name: string, email: string): Promise<string> {
  const password = "correct horse battery";
  const response = await postJson(baseUrl, "/api/auth/sign-up/email", { name, email, password });
  if (!response.ok) throw new Error(`sign-up: ${response.status} ${await response.text()}`);
  const signedIn = await postJson(baseUrl, "/api/auth/sign-in/email", { email, password });
  if (!signedIn.ok) throw new Error(`sign-in: ${signedIn.status} ${await signedIn.text()}`);
  return signedIn.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
}
