import { constants } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { lstat, open } from "node:fs/promises";
import { dirname } from "node:path";
import type * as z from "zod";
import { neutralizeStrings } from "../contracts/neutral-text.js";
import { ClaudemeshError, type ErrorCode, type ErrorDetail, type Notice } from "../errors.js";
import { type FileLockOptions, withFileLock } from "./file-lock.js";
import { ensurePrivateDir, removePrivateFile, tightenMode, writePrivateFileAtomically } from "./private-files.js";

export type { FileLockOptions } from "./file-lock.js";

/** Where a private JSON file lives, what it must hold, and how an unreadable one is handled. */
export interface PrivateJsonFileOptions<T> {
  /** The file, e.g. `~/.claudemesh/auth.json`; its folder is made (or narrowed to) 0700. */
  path: string;
  /** What the file holds; a zod schema (the SDK's `lazySchema` wrappers are zod schemas). */
  schema: z.ZodType<T>;
  /** Things the user should hear (a mode narrowed, an unreadable file removed), as data; the SDK never prints. */
  onNotice?: (notice: Notice) => void;
  /**
   * How an unreadable file is reported. Bad JSON or a failed schema throws
   * `code` and leaves the file in place, or, with `remove`, deletes it, warns
   * and reads as absent (for files nothing is lost with). A symbolic link, a
   * non-regular file or another user's file always throws `code` and is left.
   */
  corrupt: { code: ErrorCode; remove?: boolean };
  /** Turns an older on-disk shape into the current one, before validation. */
  migrate?: (json: unknown) => unknown;
  /** How long `update`, `write` and `remove` wait for another process's lock. */
  lock?: FileLockOptions;
}

// O_NOFOLLOW: a link is refused, never read through. O_NONBLOCK: a FIFO put there
// cannot hang the open (it is refused as not a regular file). Neither exists on Windows.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * One private JSON file (0600, in a 0700 folder): read without following
 * links and only when the user owns it, strings from elsewhere neutralised,
 * validated; written whole and atomically (temp file + rename, so a link in
 * its place is replaced, not followed); changed under an exclusive lock, so
 * concurrent processes never lose each other's change.
 *
 * @example
 * const config = new PrivateJsonFile({
 *   path: join(configDir, "config.json"),
 *   schema: LocalConfig,
 *   corrupt: { code: "invalid_input" },
 * });
 * await config.update((current) => ({ ...(current ?? EMPTY), meshes: [] }));
 */
export class PrivateJsonFile<T> {
  readonly path: string;
  readonly dir: string;
  readonly #schema: z.ZodType<T>;
  readonly #onNotice: (notice: Notice) => void;
  readonly #corrupt: { code: ErrorCode; remove?: boolean };
  readonly #migrate: (json: unknown) => unknown;
  readonly #lock: FileLockOptions;

  constructor(options: PrivateJsonFileOptions<T>) {
    this.path = options.path;
    this.dir = dirname(options.path);
    this.#schema = options.schema;
    this.#onNotice = options.onNotice ?? (() => {});
    this.#corrupt = options.corrupt;
    this.#migrate = options.migrate ?? ((json) => json);
    this.#lock = options.lock ?? {};
  }

  /**
   * The file's content, validated; null when there is none (or, with
   * `corrupt.remove`, when it was unreadable and has been removed).
   *
   * @example
   * const auth = await file.read(); // null when signed out
   */
  async read(): Promise<T | null> {
    const text = await this.#readText();
    if (text === null) return null;
    const parsed = this.#parse(text);
    if (parsed.ok) return parsed.value;
    if (!this.#corrupt.remove) throw ClaudemeshError.of(this.#corrupt.code, parsed.detail);
    await removePrivateFile(this.path);
    this.#onNotice({ kind: "unreadable_removed", path: this.path });
    return null;
  }

  /**
   * Replaces the file with `value`, validated first, after any change another
   * process is making.
   *
   * @example
   * await file.write({ version: 1, meshes: [] });
   */
  async write(value: T): Promise<void> {
    await ensurePrivateDir(this.dir, this.#onNotice);
    await withFileLock(this.path, () => this.#write(value), this.#lock);
  }

  /**
   * Reads, applies `change`, writes back, all under the file's lock, so a
   * concurrent change by another process is never lost. `change` gets null
   * when there is no file; returning null removes the file, returning
   * `current` itself leaves it untouched. Returns what the file now holds.
   *
   * @example
   * await file.update((current) => ({ ...current, [key]: value }));
   */
  async update(change: (current: T | null) => T | null): Promise<T | null> {
    await ensurePrivateDir(this.dir, this.#onNotice);
    return withFileLock(
      this.path,
      async () => {
        const current = await this.read();
        const next = change(current);
        if (next === current) return current;
        if (next === null) {
          await removePrivateFile(this.path);
          return null;
        }
        return this.#write(next);
      },
      this.#lock,
    );
  }

  /**
   * Deletes the file, and the temp copies killed writes left (they may hold a
   * secret); true if there was one.
   *
   * @example
   * if (await file.remove()) console.log("signed out");
   */
  async remove(): Promise<boolean> {
    try {
      return await withFileLock(this.path, () => removePrivateFile(this.path), this.#lock);
    } catch (error) {
      // No folder: nothing to remove, and nowhere to put a lock.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
  }

  /** Validates and writes; the caller holds the lock. */
  async #write(value: T): Promise<T> {
    const parsed = this.#schema.safeParse(value);
    if (!parsed.success) {
      const [field, problem] = describeIssue(parsed.error);
      throw ClaudemeshError.of("invalid_input", { kind: "file_write_refused", path: this.path, field, problem });
    }
    await writePrivateFileAtomically(this.path, `${JSON.stringify(parsed.data, null, 2)}\n`);
    return parsed.data;
  }

  /** The file's text, null when absent; refuses links, non-regular files and other users' files. */
  async #readText(): Promise<string | null> {
    let handle: FileHandle;
    try {
      if (constants.O_NOFOLLOW === undefined && (await lstat(this.path)).isSymbolicLink()) {
        throw this.#refusal({ kind: "file_is_link", path: this.path });
      }
      handle = await open(this.path, OPEN_FLAGS);
    } catch (error) {
      if (error instanceof ClaudemeshError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return null;
      // ELOOP (Linux, macOS) or EMLINK (FreeBSD): O_NOFOLLOW met a link.
      if ((code === "ELOOP" || code === "EMLINK") && (await this.#isSymbolicLink())) {
        throw this.#refusal({ kind: "file_is_link", path: this.path });
      }
      throw this.#refusal({ kind: "file_unreadable", path: this.path, reason: (error as Error).message }, error);
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw this.#refusal({ kind: "file_not_regular", path: this.path });
      const uid = process.getuid?.();
      if (uid !== undefined && info.uid !== uid)
        throw this.#refusal({ kind: "file_of_other_user", path: this.path, uid: info.uid });
      await tightenMode(this.path, 0o600, this.#onNotice, handle);
      return await handle.readFile("utf8");
    } finally {
      await handle.close();
    }
  }

  async #isSymbolicLink(): Promise<boolean> {
    return lstat(this.path).then(
      (info) => info.isSymbolicLink(),
      () => false,
    );
  }

  #refusal(detail: ErrorDetail, cause?: unknown): ClaudemeshError {
    return ClaudemeshError.of(this.#corrupt.code, detail, cause === undefined ? undefined : { cause });
  }

  /** Parses and validates; strings are neutralised first, as the file may hold what a server sent. */
  #parse(text: string): { ok: true; value: T } | { ok: false; detail: ErrorDetail } {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, detail: { kind: "file_not_json", path: this.path } };
    }
    const parsed = this.#schema.safeParse(neutralizeStrings(this.#migrate(json)));
    if (parsed.success) return { ok: true, value: parsed.data };
    const [field, problem] = describeIssue(parsed.error);
    return { ok: false, detail: { kind: "file_invalid", path: this.path, field, problem } };
  }
}

/** The first problem zod found, as "field" and "problem" ("meshes.0.role", "Invalid option…"). */
function describeIssue(error: z.ZodError): [field: string, problem: string] {
  const issue = error.issues[0];
  return [issue?.path.join(".") || "file", issue?.message ?? "is invalid"];
}
