import type { Mesh } from "../contracts/meshes.js";
import type { LocalMesh } from "./local-config.js";

export interface MeshReconciliation {
  /** Everything to keep: other servers' meshes untouched, this server's as the server says. */
  meshes: LocalMesh[];
  added: LocalMesh[];
  removed: LocalMesh[];
  /** Still joined, but renamed or with another role. */
  updated: LocalMesh[];
}

/**
 * `claudemesh sync`: makes the local list of `apiUrl`'s meshes match the
 * server's, keeping what this machine chose (display name, launch role) for
 * meshes it still has.
 *
 * @example
 * const { meshes, added, removed } = reconcileMeshes(config.meshes, (await api.listMeshes()).meshes, api.baseUrl);
 */
export function reconcileMeshes(local: LocalMesh[], server: Mesh[], apiUrl: string): MeshReconciliation {
  const elsewhere = local.filter((mesh) => mesh.api_url !== apiUrl);
  const here = new Map(local.filter((mesh) => mesh.api_url === apiUrl).map((mesh) => [mesh.id, mesh]));
  const added: LocalMesh[] = [];
  const updated: LocalMesh[] = [];
  const kept = server.map((remote): LocalMesh => {
    const known = here.get(remote.id);
    const next: LocalMesh = {
      id: remote.id,
      slug: remote.slug,
      name: remote.name,
      role: remote.role,
      api_url: apiUrl,
      joined_at: remote.joined_at,
      display_name: known?.display_name ?? null,
      launch_role: known?.launch_role ?? null,
    };
    if (!known) added.push(next);
    else if (known.slug !== next.slug || known.name !== next.name || known.role !== next.role) updated.push(next);
    return next;
  });
  const serverIds = new Set(server.map((mesh) => mesh.id));
  const removed = [...here.values()].filter((mesh) => !serverIds.has(mesh.id));
  return { meshes: [...elsewhere, ...kept], added, removed, updated };
}

/** A server mesh as a freshly joined local one. */
export function localMeshFrom(mesh: Mesh, apiUrl: string): LocalMesh {
  return {
    id: mesh.id,
    slug: mesh.slug,
    name: mesh.name,
    role: mesh.role,
    api_url: apiUrl,
    joined_at: mesh.joined_at,
    display_name: null,
    launch_role: null,
  };
}
