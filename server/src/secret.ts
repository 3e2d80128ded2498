import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface SecretSource {
  secret: string;
  /** Set when the secret was generated or read from the data dir rather than the environment. */
  file?: string;
}

/**
 * BETTER_AUTH_SECRET when set; otherwise a random secret kept in the data dir,
 * so sessions survive restarts of a development server. Written whole to a
 * temp file and hard-linked into place (which fails if the file exists), so two
 * instances starting together agree on one secret and never read half of it.
 */
export async function loadOrCreateSecret(fromEnv: string | undefined, dataDir: string): Promise<SecretSource> {
  if (fromEnv) return { secret: fromEnv };
  const file = join(dataDir, "better-auth-secret");
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temp, randomBytes(32).toString("base64url"), { mode: 0o600 });
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await unlink(temp);
  }
  const secret = (await readFile(file, "utf8")).trim();
  if (secret.length < 32)
    throw new Error(`${file} holds a secret shorter than 32 characters; delete it to make a new one.`);
  return { secret, file };
}
