import { totpCode, totpSecretOf } from "@claudemesh/test-support/totp";
import { SECURITY_PATH } from "../../src/pages/security-page.js";
import type { TestAccount, TestApp } from "./test-app.js";

/** The cookies of `response` laid over `cookie` (Better Auth swaps the session when 2FA is turned on or off). */
export function withNewCookies(cookie: string, response: Response): string {
  const jar = new Map(cookie.split("; ").map((pair) => [pair.split("=")[0], pair] as const));
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(";")[0] ?? "";
    const name = pair.split("=")[0] ?? "";
    if (/max-age=0/i.test(line) || pair.endsWith("=")) jar.delete(name);
    else jar.set(name, pair);
  }
  return [...jar.values()].join("; ");
}

/** What the set-up page shows once: the TOTP key (from its otpauth link) and the backup codes. */
export interface TotpSetUp {
  secret: string;
  backupCodes: string[];
  /** The set-up page's HTML, for tests about the page itself. */
  html: string;
}

/** Starts turning TOTP on from the security page (step-up fresh): the key and backup codes, not yet on. */
export async function startTotpSetUp(testApp: TestApp, account: TestAccount): Promise<TotpSetUp> {
  const enable = await testApp.postForm(
    `${SECURITY_PATH}/two-factor/enable`,
    { password: account.password },
    { cookie: account.cookie },
  );
  if (enable.status !== 200) throw new Error(`two-factor/enable answered ${enable.status}`);
  const html = await enable.text();
  const uri = /href="(otpauth:[^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, "&") ?? "";
  const backupCodes = [...html.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((match) => match[1] ?? "");
  return { secret: totpSecretOf(uri), backupCodes, html };
}

/** Turns TOTP on with the first code: the account with the session Better Auth swapped in, and the key. */
export async function turnOnTotp(
  testApp: TestApp,
  account: TestAccount,
): Promise<TotpSetUp & { account: TestAccount }> {
  const setUp = await startTotpSetUp(testApp, account);
  const turnedOn = await testApp.postForm(
    `${SECURITY_PATH}/two-factor/verify`,
    { code: totpCode(setUp.secret) },
    { cookie: account.cookie },
  );
  if (turnedOn.headers.get("location") !== `${SECURITY_PATH}?done=two-factor-on`) {
    throw new Error(`two-factor/verify answered ${turnedOn.status} ${turnedOn.headers.get("location")}`);
  }
  return { ...setUp, account: { ...account, cookie: withNewCookies(account.cookie, turnedOn) } };
}
