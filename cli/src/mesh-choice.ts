import type { ApiClient, Mesh } from "@claudemesh/sdk";
import type { CliContext } from "./context.js";
import { LocalizedError, roleText } from "./i18n/language.js";

/** What to say when choosing a mesh for the caller, in the command's own words. */
export interface MeshChoiceWords {
  /** The caller is in no mesh. */
  noMesh: string;
  /** The caller is in meshes, but none this command can use. */
  noneEligible?: string;
  /** Not at a terminal, and more than one would do: name one with --mesh. */
  whichMesh: (slugs: string) => string;
  /** The question of the pick at a terminal. */
  pickMesh: string;
}

/**
 * The mesh a command works on when `--mesh` is not given: the only one that
 * would do, a pick at a terminal, or an error naming the slugs.
 */
export async function chooseMesh(
  ctx: CliContext,
  api: ApiClient,
  words: MeshChoiceWords,
  eligible: (mesh: Mesh) => boolean = () => true,
): Promise<string> {
  const { meshes } = await api.listMeshes();
  const usable = meshes.filter(eligible);
  const [only] = usable;
  if (usable.length === 1 && only) return only.slug;
  if (usable.length === 0) {
    throw new LocalizedError(
      "invalid_input",
      meshes.length === 0 ? words.noMesh : (words.noneEligible ?? words.noMesh),
    );
  }
  if (!ctx.out.io.isTTY || !ctx.out.io.stdinIsTTY) {
    throw new LocalizedError("invalid_input", words.whichMesh(usable.map((mesh) => mesh.slug).join(", ")));
  }
  return ctx.prompts.select({
    message: words.pickMesh,
    options: usable.map((mesh) => ({
      value: mesh.slug,
      label: mesh.slug,
      hint: `${mesh.name} · ${roleText(mesh.role, ctx.t)}`,
    })),
  });
}
