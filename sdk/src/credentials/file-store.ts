import { homedir } from "node:os";
import { join } from "node:path";
import type { Notice } from "../errors.js";
import { ensurePrivateDir } from "../files/private-files.js";
import { PrivateJsonFile } from "../files/private-json-file.js";
import { AuthFile, migrateAuthFile } from "./auth-file.js";

/** `~/.claudemesh`, or CLAUDEMESH_CONFIG_DIR. */
export function defaultConfigDir(configDir?: string): string {
  return configDir ?? join(homedir(), ".claudemesh");
}

/**
 * `auth.json` on disk, a private JSON file: folder 0700, file 0600, written
 * whole and atomically, changed under a lock so the CLI and the editor never
 * lose each other's login; a link or another user's file is refused, and an
 * unreadable file is reported (`auth_file_corrupted`) and left in place.
 * Wider modes are fixed and reported through `onNotice`.
 */
export class AuthFileStore {
  readonly dir: string;
  readonly path: string;
  readonly #file: PrivateJsonFile<AuthFile>;
  readonly #onNotice: (notice: Notice) => void;

  constructor(options: { configDir?: string; onNotice?: (notice: Notice) => void } = {}) {
    this.dir = defaultConfigDir(options.configDir);
    this.path = join(this.dir, "auth.json");
    this.#onNotice = options.onNotice ?? (() => {});
    this.#file = new PrivateJsonFile({
      path: this.path,
      schema: AuthFile,
      onNotice: this.#onNotice,
      corrupt: { code: "auth_file_corrupted" },
      migrate: migrateAuthFile,
    });
  }

  /** The stored file (a version 1 file read as version 2), null when there is none. */
  read(): Promise<AuthFile | null> {
    return this.#file.read();
  }

  /** Replaces the file atomically. */
  write(file: AuthFile): Promise<void> {
    return this.#file.write(file);
  }

  /**
   * Reads, applies `change`, writes back under the lock; a file with no
   * server left (or null) is removed. Returns what the file now holds.
   */
  update(change: (current: AuthFile | null) => AuthFile | null): Promise<AuthFile | null> {
    return this.#file.update((current) => {
      const next = change(current);
      return next && Object.keys(next.servers).length > 0 ? next : null;
    });
  }

  /** Deletes the file, and temp copies a killed write left (they may hold the token); true if there was one. */
  remove(): Promise<boolean> {
    return this.#file.remove();
  }

  /** Creates the folder 0700, or narrows it; refuses to go on if it cannot be made private. */
  ensureDir(): Promise<void> {
    return ensurePrivateDir(this.dir, this.#onNotice);
  }
}
