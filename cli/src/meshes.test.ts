import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalMesh } from "@claudemesh/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { createContext } from "./context.js";
import { findLocalMesh } from "./meshes.js";

const API_URL = "http://localhost:3000";
const ALPHA_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
const LOOKALIKE_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

const joined = (id: string, slug: string, apiUrl = API_URL): LocalMesh => ({
  id,
  slug,
  name: slug,
  role: "owner",
  api_url: apiUrl,
  joined_at: "2026-01-01T00:00:00.000Z",
  display_name: null,
  launch_role: null,
});

describe("findLocalMesh", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  /** A real context on a temp config dir holding these joined meshes. */
  async function contextWith(meshes: LocalMesh[]) {
    const configDir = await mkdtemp(join(tmpdir(), "claudemesh-find-mesh-"));
    dirs.push(configDir);
    const ctx = createContext({ CLAUDEMESH_CONFIG_DIR: configDir, CLAUDEMESH_API_URL: API_URL });
    await ctx.config().update((config) => ({ ...config, meshes }));
    return ctx;
  }

  it("takes an id-shaped name as an id only, even when another mesh's slug is that id", async () => {
    // The lookalike was joined first, so matching "id or slug" in order would pick it.
    const ctx = await contextWith([joined(LOOKALIKE_ID, ALPHA_ID), joined(ALPHA_ID, "alpha")]);
    expect((await findLocalMesh(ctx, ALPHA_ID)).id).toBe(ALPHA_ID);
    expect((await findLocalMesh(ctx, ALPHA_ID.toUpperCase())).id).toBe(ALPHA_ID);
    expect((await findLocalMesh(ctx, "alpha")).id).toBe(ALPHA_ID);
    expect((await findLocalMesh(ctx, LOOKALIKE_ID)).id).toBe(LOOKALIKE_ID);
  });

  it("takes anything else as a slug only, on this server only", async () => {
    const ctx = await contextWith([joined(ALPHA_ID, "alpha"), joined(LOOKALIKE_ID, "beta", "https://elsewhere.test")]);
    await expect(findLocalMesh(ctx, "beta")).rejects.toMatchObject({ code: "not_found" });
    await expect(findLocalMesh(ctx, ALPHA_ID.slice(0, 8))).rejects.toMatchObject({ code: "not_found" });
  });
});
