// Meshes are named "by id or slug" in URLs and on the command line. If a slug
// could take the shape of an id, someone could make a mesh whose slug is another
// mesh's id, invite its owner in, and have that owner's "invite to my mesh <id>"
// land in theirs. The real server refuses such slugs and resolves a name
// one way only: id-shaped by id, anything else by slug.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, signUp } from "./support/browser-session.js";
import { type ServerOnPostgres, startServerOnPostgres } from "./support/server-on-postgres.js";

/** The shape of a mesh id (a UUID), written out here rather than taken from the code under test. */
const ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface MeshAnswer {
  id: string;
  slug: string;
}

describe("mesh ids and slugs on the real server", () => {
  let running: ServerOnPostgres;
  let url = "";
  beforeAll(async () => {
    running = await startServerOnPostgres();
    url = running.url;
  });
  afterAll(() => running?.stop());

  it("refuses a slug shaped like another account's mesh id, and every name reaches the right mesh", async () => {
    const alice = await signUp(url, "Alice", "alice@example.test");
    const mallory = await signUp(url, "Mallory", "mallory@example.test");
    const createMesh = (cookie: string, body: Record<string, string>) =>
      postJson(url, "/api/my/meshes", body, { cookie });
    const invite = (cookie: string, name: string, role = "member") =>
      postJson(url, `/api/my/meshes/${encodeURIComponent(name)}/invites`, { role }, { cookie });
    const invitedTo = async (cookie: string, name: string) => {
      const response = await invite(cookie, name);
      expect(response.status, name).toBe(201);
      return ((await response.json()) as { mesh: MeshAnswer }).mesh.id;
    };

    const alpha = (await (await createMesh(alice, { name: "Alpha" })).json()) as MeshAnswer;
    expect(alpha.id).toMatch(ID_SHAPE);

    // Mallory tries to take Alpha's id as a slug, outright and through a name.
    const outright = await createMesh(mallory, { name: "Totally Alpha", slug: alpha.id });
    expect(outright.status).toBe(400);
    expect(await outright.json()).toMatchObject({
      error: "invalid_input",
      message: expect.stringContaining("mesh id"),
    });
    const byName = await createMesh(mallory, { name: alpha.id });
    expect(byName.status).toBe(201);
    const lookalike = (await byName.json()) as MeshAnswer;
    expect(lookalike.slug).not.toMatch(ID_SHAPE);
    const upper = await createMesh(mallory, { name: "Upper", slug: alpha.id.toUpperCase() });
    expect(upper.status).toBe(400);

    // Mallory brings Alice into the lookalike as an admin, so both are in both candidates' reach.
    const link = (await (await invite(mallory, lookalike.id, "admin")).json()) as { url: string };
    const secret = link.url.split("/").pop() ?? "";
    expect((await postJson(url, `/api/invites/${secret}/accept`, {}, { cookie: alice })).status).toBe(200);

    // Each name reaches exactly the mesh it names, for each person.
    expect(await invitedTo(alice, alpha.id)).toBe(alpha.id);
    expect(await invitedTo(alice, alpha.id.toUpperCase())).toBe(alpha.id);
    expect(await invitedTo(alice, alpha.slug)).toBe(alpha.id);
    expect(await invitedTo(alice, lookalike.slug)).toBe(lookalike.id);
    expect(await invitedTo(mallory, lookalike.id)).toBe(lookalike.id);
    expect((await invite(mallory, alpha.id)).status).toBe(404);
    expect((await invite(mallory, alpha.slug)).status).toBe(404);
  });

  it("refuses a mesh name that looks blank or like another through invisible characters, and stores none", async () => {
    const owner = await signUp(url, "Olive", "olive@example.test");
    const lookalikes = ["Alpha\u200b", "Al\u2060pha", "\u3164", "a\u200bb\u2060c\u3164", "\u115f\u1160", "\u2800"];
    for (const name of lookalikes) {
      const response = await postJson(
        url,
        "/api/my/meshes",
        { name, slug: `look-${lookalikes.indexOf(name)}` },
        { cookie: owner },
      );
      expect({ name, status: response.status }).toEqual({ name, status: 400 });
      expect(await response.json()).toMatchObject({
        error: "invalid_input",
        message: expect.stringMatching(/^name: /),
      });
    }
    const listed = (await (await fetch(`${url}/api/my/meshes`, { headers: { cookie: owner } })).json()) as {
      meshes: { name: string }[];
    };
    expect(listed.meshes).toEqual([]);
  });
});
