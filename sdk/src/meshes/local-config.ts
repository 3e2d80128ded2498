import { randomUUID } from "node:crypto";
import { join } from "node:path";
import * as z from "zod";
import { Timestamp } from "../contracts/common.js";
import { lazySchema } from "../contracts/lazy-schema.js";
import { MeshRole } from "../contracts/meshes.js";
import { defaultConfigDir } from "../credentials/file-store.js";
import type { Notice } from "../errors.js";
import { PrivateJsonFile } from "../files/private-json-file.js";

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
 * Reads and rewrites `config.json` (0600 in the 0700 folder, atomically, under
 * a lock so the CLI and the extension never lose each other's change). A
 * corrupt file is reported (`invalid_input`), never silently replaced.
 *
 * @example
 * const config = new LocalConfigStore({ configDir });
 * await config.update((current) => ({ ...current, meshes: [] }));
 */
export class LocalConfigStore {
  readonly dir: string;
  readonly path: string;
  readonly #file: PrivateJsonFile<LocalConfig>;

  constructor(options: { configDir?: string; onNotice?: (notice: Notice) => void } = {}) {
    this.dir = defaultConfigDir(options.configDir);
    this.path = join(this.dir, "config.json");
    // Older versions saved mesh names and slugs as the server sent them; the file neutralises them on read.
    this.#file = new PrivateJsonFile({
      path: this.path,
      schema: LocalConfig,
      onNotice: options.onNotice,
      corrupt: { code: "invalid_input" },
    });
  }

  /** The config, empty when there is none yet. */
  async read(): Promise<LocalConfig> {
    return (await this.#file.read()) ?? structuredClone(EMPTY);
  }

  /** Reads, applies `change`, writes back, under the file's lock; returns what was written. */
  async update(change: (config: LocalConfig) => LocalConfig): Promise<LocalConfig> {
    const written = await this.#file.update((current) => change(current ?? structuredClone(EMPTY)));
    return written ?? structuredClone(EMPTY);
  }

  /** The telemetry settings, created (with a fresh install id) on first use. */
  async telemetry(): Promise<TelemetrySettings> {
    const config = await this.read();
    if (config.telemetry) return config.telemetry;
    const written = await this.update((current) =>
      // Another process may have created them since the read: keep its install id, write nothing.
      current.telemetry
        ? current
        : { ...current, telemetry: { enabled: null, install_id: randomUUID(), notice_shown: false } },
    );
    return written.telemetry as TelemetrySettings;
  }
}
