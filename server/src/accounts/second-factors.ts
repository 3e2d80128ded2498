import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/database.js";
import { passkey, user } from "../db/schema.js";

/** One passkey, as the security page lists it. */
export interface PasskeyRow {
  id: string;
  name: string | null;
  createdAt: Date | null;
}

/** What an account can prove itself with beyond its password: a TOTP app, passkeys. */
export interface SecondFactors {
  totp: boolean;
  passkeys: PasskeyRow[];
}

export async function secondFactorsOf(db: Db, userId: string): Promise<SecondFactors> {
  const [account, passkeys] = await Promise.all([
    db.select({ totp: user.twoFactorEnabled }).from(user).where(eq(user.id, userId)),
    db
      .select({ id: passkey.id, name: passkey.name, createdAt: passkey.createdAt })
      .from(passkey)
      .where(eq(passkey.userId, userId))
      .orderBy(asc(passkey.createdAt)),
  ]);
  return { totp: account[0]?.totp ?? false, passkeys };
}

/** Whether the account has a second factor, which step-up then asks for instead of the password. */
export function hasSecondFactor(factors: SecondFactors): boolean {
  return factors.totp || factors.passkeys.length > 0;
}
