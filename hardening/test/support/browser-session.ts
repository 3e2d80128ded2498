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

/** Signs a new account up through Better Auth; returns the browser's session cookie. */
export async function signUp(baseUrl: string, name: string, email: string): Promise<string> {
  const response = await postJson(baseUrl, "/api/auth/sign-up/email", {
    name,
    email,
    password: "correct horse battery",
  });
  if (!response.ok) throw new Error(`sign-up: ${response.status} ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
}
