import { describe, expect, it } from "vitest";
import type { Mesh } from "../contracts/meshes.js";
import type { LocalMesh } from "./local-config.js";
import { reconcileMeshes } from "./reconcile.js";

const HERE = "http://localhost:3000";
const remote = (id: string, overrides: Partial<Mesh> = {}): Mesh => ({
  id,
  slug: id,
  name: `Mesh ${id}`,
  role: "member",
  member_count: 1,
  created_at: "2026-01-01T00:00:00.000Z",
  joined_at: "2026-01-02T00:00:00.000Z",
  ...overrides,
});
const local = (id: string, overrides: Partial<LocalMesh> = {}): LocalMesh => ({
  id,
  slug: id,
  name: `Mesh ${id}`,
  role: "member",
  api_url: HERE,
  joined_at: "2026-01-02T00:00:00.000Z",
  display_name: null,
  launch_role: null,
  ...overrides,
});

describe("reconcileMeshes", () => {
  it("adds new meshes, drops gone ones, updates renamed ones and keeps local choices", () => {
    const result = reconcileMeshes(
      [local("kept", { display_name: "ada-laptop", launch_role: "reviewer" }), local("gone"), local("renamed")],
      [remote("kept"), remote("renamed", { name: "New name", role: "admin" }), remote("new")],
      HERE,
    );
    expect(result.added.map((m) => m.id)).toEqual(["new"]);
    expect(result.removed.map((m) => m.id)).toEqual(["gone"]);
    expect(result.updated.map((m) => [m.id, m.name, m.role])).toEqual([["renamed", "New name", "admin"]]);
    expect(result.meshes.find((m) => m.id === "kept")).toMatchObject({
      display_name: "ada-laptop",
      launch_role: "reviewer",
    });
    expect(result.meshes.map((m) => m.id)).toEqual(["kept", "renamed", "new"]);
  });

  it("leaves other servers' meshes alone", () => {
    const other = local("elsewhere", { api_url: "https://other.example" });
    const result = reconcileMeshes([other], [], HERE);
    expect(result.meshes).toEqual([other]);
    expect(result.removed).toEqual([]);
  });
});
