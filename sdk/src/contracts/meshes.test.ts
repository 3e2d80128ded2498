import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CreateInviteRequest, CreateMeshRequest, isMeshIdShaped, MESH_SLUG_PATTERN, slugify } from "./meshes.js";

const ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

describe("mesh ids and slugs cannot be confused", () => {
  it("knows an id by its shape, in any case, and nothing else as one", () => {
    expect(isMeshIdShaped(randomUUID())).toBe(true);
    expect(isMeshIdShaped(ID.toUpperCase())).toBe(true);
    for (const name of ["platform-team", `${ID}-2`, `x${ID}`, ID.replaceAll("-", ""), ID.slice(0, -1)]) {
      expect(isMeshIdShaped(name), name).toBe(false);
    }
  });

  it("refuses an id-shaped slug, though the slug pattern alone would take it", () => {
    expect(MESH_SLUG_PATTERN.test(ID)).toBe(true);
    const parsed = CreateMeshRequest.safeParse({ name: "Lookalike", slug: ID });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["slug", "must not have the shape of a mesh id (a UUID)"],
    ]);
    expect(CreateMeshRequest.safeParse({ name: "Fine", slug: `${ID}-2` }).success).toBe(true);
  });

  it("never derives an id-shaped slug from a name", () => {
    expect(slugify(ID)).toBe(`mesh-${ID}`);
    expect(slugify(` ${ID.toUpperCase()} `)).toBe(`mesh-${ID}`);
    expect(MESH_SLUG_PATTERN.test(slugify(ID))).toBe(true);
    expect(CreateMeshRequest.safeParse({ name: ID, slug: slugify(ID) }).success).toBe(true);
    expect(slugify("Platform team")).toBe("platform-team");
  });
});

describe("invite addresses", () => {
  it("takes what a browser's email field takes, the seed's a@b.c among them", () => {
    for (const email of ["a@b.c", "ada@example.com", "o'brien+mesh@mail.example.co.uk"]) {
      expect(CreateInviteRequest.safeParse({ email }).success, email).toBe(true);
    }
  });

  it("refuses what cannot be an address, saying so", () => {
    for (const email of ["nobody", "a@b", "a b@c.d", "a@b..c", "<x>@y.z", "a@-b.c", `${"a".repeat(250)}@b.cd`]) {
      const parsed = CreateInviteRequest.safeParse({ email });
      expect(parsed.success, email).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/not an email address|Too big/);
    }
  });
});
