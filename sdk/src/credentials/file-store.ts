import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { neutralizeStrings } from "../contracts/neutral-text.js";
import { ClaudemeshError } from "../errors.js";
import {
  ensurePrivateDir,
  removePrivateFile,
  tightenMode,
  writePrivateFileAtomically,
} from "../files/private-files.js";
import { AuthFile, migrateAuthFile } from "./auth-file.js";

/** `~/.claudemesh`, or CLAUDEMESH_CONFIG_DIR. */
export function defaultConfigDir(configDir?: string): string {
  return configDir ?? join(homedir(), ".claudemesh");
}

/**
 * `auth.json` on disk: folder 0700, file 0600, written whole to a temp file and
 * renamed into place (a crash leaves the old file or the new one, never half
 * of either). Wider modes are fixed and reported through `onWarning`.
 */
export class AuthFileStore {
  readonly dir: string;
  readonly path: string;
  readonly #onWarning: (message: string) => void;

  constructor(options: { configDir?: string; onWarning?: (message: string) => void } = {}) {
    this.dir = defaultConfigDir(options.configDir);
    this.path = join(this.dir, "auth.json");
    this.#onWarning = options.onWarning ?? (() => {});
  }

  /** The stored file, null when there is none; `auth_file_corrupted` (left in place) when unreadable. */
  async read(): Promise<AuthFile | null> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw new ClaudemeshError("auth_file_corrupted", `Cannot read ${this.path}: ${(error as Error).message}`);
    }
    await tightenMode(this.path, 0o600, this.#onWarning);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ClaudemeshError("auth_file_corrupted", `Auth file corrupted (${this.path} is not valid JSON).`);
    }
    // The user's name and email came from a server (maybe an older, laxer one) and get printed.
    const parsed = AuthFile.safeParse(neutralizeStrings(migrateAuthFile(json)));
    if (!parsed.success) {
      const problem = parsed.error.issues[0];
      throw new ClaudemeshError(
        "auth_file_corrupted",
        `Auth file corrupted (${this.path}: ${problem?.path.join(".") || "file"} ${problem?.message ?? "is invalid"}).`,
      );
    }
    return parsed.data;
  }

  /** Replaces the file atomically. */
  async write(file: AuthFile): Promise<void> {
    await this.ensureDir();
    await writePrivateFileAtomically(this.path, `${JSON.stringify(AuthFile.parse(file), null, 2)}\n`);
  }

  /**
   * Reads, applies `change`, writes back (or removes the file when `change`
   * returns null, or a file with no server left); returns what was written.
   */
  async update(change: (current: AuthFile | null) => AuthFile | null): Promise<AuthFile | null> {
    const next = change(await this.read());
    if (!next || Object.keys(next.servers).length === 0) {
      await this.remove();
      return null;
    }
    await this.write(next);
    return next;
  }

  /** Deletes the file, and temp copies a killed write left (they may hold the token); true if there was one. */
  remove(): Promise<boolean> {
    return removePrivateFile(this.path);
  }

  /** Creates the folder 0700, or narrows it; refuses to go on if it cannot be made private. */
  ensureDir(): Promise<void> {
    return ensurePrivateDir(this.dir, this.#onWarning);
  }
}
