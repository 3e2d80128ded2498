import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod";
import { Timestamp } from "../contracts/common.js";
import { lazySchema } from "../contracts/lazy-schema.js";
import { MeshRole } from "../contracts/meshes.js";
import { neutralizeStrings } from "../contracts/neutral-text.js";
import { defaultConfigDir } from "../credentials/file-store.js";
import { ClaudemeshError } from "../errors.js";
import { ensurePrivateDir, writePrivateFileAtomically } from "../files/private-files.js";

/** A mesh this machine has joined, and how it appears in it. */
export const LocalMesh = lazySchema(() =>
  z.object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    role: MeshRole,
    /** The server the mesh lives on; `sync` only touches the current server's meshes. */
    api_url: z.string(),
    joined_at: Timestamp,
    /** The name this machine's Claude Code uses in the mesh (`launch --name`); null until chosen. */
    display_name: z.string().nullable().default(null),
    /** The role it plays there (`launch --role`), free text like "reviewer". */
    launch_role: z.string().nullable().default(null),
  }),
);
export type LocalMesh = z.infer<typeof LocalMesh>;

export const TelemetrySettings = lazySchema(() =>
  z.object({
    /** Null: never chosen (on, unless DO_NOT_TRACK or CLAUDEMESH_TELEMETRY=0). */
    enabled: z.boolean().nullable().default(null),
    /** Random per installation; never tied to an account. */
    install_id: z.string(),
    notice_shown: z.boolean().default(false),
  }),
);
export type TelemetrySettings = z.infer<typeof TelemetrySettings>;

/** `~/.claudemesh/config.json`: joined meshes and preferences (no secrets; those live in auth.json). */
export const LocalConfig = lazySchema(() =>
  z.object({
    version: z.literal(1),
    meshes: z.array(LocalMesh).default([]),
    telemetry: TelemetrySettings.optional(),
  }),
);
export type LocalConfig = z.infer<typeof LocalConfig>;

const EMPTY: LocalConfig = { version: 1, meshes: [] };

/**
 * Reads and rewrites `config.json` (0600 in the 0700 folder, atomically).
 * A corrupt file is reported, never silently replaced.
 */
export class LocalConfigStore {
  readonly dir: string;
  readonly path: string;
  readonly #onWarning: (message: string) => void;

  constructor(options: { configDir?: string; onWarning?: (message: string) => void } = {}) {
    this.dir = defaultConfigDir(options.configDir);
    this.path = join(this.dir, "config.json");
    this.#onWarning = options.onWarning ?? (() => {});
  }

  async read(): Promise<LocalConfig> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return structuredClone(EMPTY);
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ClaudemeshError("invalid_input", `${this.path} is not valid JSON; fix it or move it aside.`);
    }
    // Older versions saved mesh names and slugs as the server sent them; they are printed and passed to Claude Code.
    const parsed = LocalConfig.safeParse(neutralizeStrings(json));
    if (!parsed.success) {
      const problem = parsed.error.issues[0];
      throw new ClaudemeshError(
        "invalid_input",
        `${this.path}: ${problem?.path.join(".") || "file"} ${problem?.message ?? "is invalid"}; fix it or move it aside.`,
      );
    }
    return parsed.data;
  }

  /** Reads, applies `change`, writes back; returns what was written. */
  async update(change: (config: LocalConfig) => LocalConfig): Promise<LocalConfig> {
    const next = LocalConfig.parse(change(await this.read()));
    await ensurePrivateDir(this.dir, this.#onWarning);
    await writePrivateFileAtomically(this.path, `${JSON.stringify(next, null, 2)}\n`);
    return next;
  }

  /** The telemetry settings, created (with a fresh install id) on first use. */
  async telemetry(): Promise<TelemetrySettings> {
    const config = await this.read();
    if (config.telemetry) return config.telemetry;
    const written = await this.update((current) => ({
      ...current,
      telemetry: current.telemetry ?? { enabled: null, install_id: randomUUID(), notice_shown: false },
    }));
    return written.telemetry as TelemetrySettings;
  }
}
