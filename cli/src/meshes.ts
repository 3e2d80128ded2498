import {
  type ApiClient,
  isMeshIdShaped,
  type LocalMesh,
  type MeshReconciliation,
  reconcileMeshes,
} from "@claudemesh/sdk";
import type { CliContext } from "./context.js";
import { LocalizedError } from "./i18n/language.js";

/** Makes config.json's meshes for this server match the server's; returns what changed. */
export async function syncMeshes(ctx: CliContext, api: ApiClient): Promise<MeshReconciliation> {
  const { meshes } = await api.listMeshes();
  let result: MeshReconciliation | undefined;
  await ctx.config().update((config) => {
    result = reconcileMeshes(config.meshes, meshes, ctx.apiUrl());
    return { ...config, meshes: result.meshes };
  });
  if (!result) throw new Error("config update did not run");
  return result;
}

/** `✔ Synced 3 meshes: a, b, c` (seed flow 1), with what was added and dropped. */
export function reportSync(ctx: CliContext, result: MeshReconciliation): void {
  const { out, t } = ctx;
  const mine = result.meshes.filter((mesh) => mesh.api_url === ctx.apiUrl());
  if (mine.length === 0) {
    sayNoMeshes(ctx);
  } else {
    out.success(t.sync.synced(mine.length, mine.map((mesh) => mesh.slug).join(", ")));
  }
  for (const mesh of result.added) out.say(`  + ${mesh.slug}`);
  for (const mesh of result.removed) out.say(`  - ${mesh.slug} ${out.dim(t.sync.gone)}`);
}

/** The two ways to a first mesh: make one, or take up an invite someone sent. */
export function sayNoMeshes({ out, t }: CliContext): void {
  out.say(
    t.sync.noMeshes(
      out.bold(`claudemesh create "${t.wizard.meshPlaceholder}"`),
      out.bold(`claudemesh join <${t.join.linkPlaceholder}>`),
    ),
  );
}

/**
 * This server's joined mesh by slug or id, or a clear error saying how to get it.
 * An id-shaped name matches ids only and anything else slugs only, as on the
 * server, so a mesh whose slug looks like another's id cannot be taken for it.
 */
export async function findLocalMesh(ctx: CliContext, slugOrId: string): Promise<LocalMesh> {
  const { meshes } = await ctx.config().read();
  const byId = isMeshIdShaped(slugOrId);
  const found = meshes.find(
    (mesh) =>
      mesh.api_url === ctx.apiUrl() &&
      (byId ? mesh.id.toLowerCase() === slugOrId.toLowerCase() : mesh.slug === slugOrId),
  );
  if (!found) {
    throw new LocalizedError("not_found", ctx.t.sync.notJoined(slugOrId, ctx.apiUrl()));
  }
  return found;
}
