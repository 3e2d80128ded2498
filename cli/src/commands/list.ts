import type { LocalMesh, Mesh } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { roleText } from "../i18n/language.js";
import { sayNoMeshes } from "../meshes.js";

/** Where a mesh is known: on the server and here, only on the server (sync adds it), or only here (sync drops it). */
type Presence = "joined" | "server_only" | "local_only";

interface ListedMesh {
  id: string;
  slug: string;
  name: string;
  role: string;
  member_count: number | null;
  presence: Presence;
}

/** `claudemesh list [--json]`: your meshes on the server, marked with what this machine has. */
export function listCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("list")
    .description(t.list.description)
    .option("--json", t.json)
    .action(returnsStatus((options: { json?: boolean }) => runList(options, ctx)));
}

export async function runList(options: { json?: boolean }, ctx: CliContext): Promise<number> {
  const { api } = await authenticatedApi(ctx);
  const [{ meshes: remote }, config] = await Promise.all([api.listMeshes(), ctx.config().read()]);
  const listed = combine(
    remote,
    config.meshes.filter((mesh) => mesh.api_url === ctx.apiUrl()),
  );
  if (options.json) {
    ctx.out.print(JSON.stringify({ meshes: listed }, null, 2));
    return 0;
  }
  const { out } = ctx;
  if (listed.length === 0) {
    sayNoMeshes(ctx);
    return 0;
  }
  const width = Math.max(...listed.map((mesh) => mesh.slug.length));
  const marks: Record<Presence, string> = { joined: "●", server_only: "+", local_only: "-" };
  for (const mesh of listed) {
    const members = mesh.member_count === null ? "" : ctx.t.list.members(mesh.member_count);
    out.print(
      `${marks[mesh.presence]} ${mesh.slug.padEnd(width)}  ${mesh.name} ${out.dim(`(${roleText(mesh.role, ctx.t)}${members})`)}`,
    );
  }
  if (listed.some((mesh) => mesh.presence !== "joined")) {
    out.say(out.dim(`\n${ctx.t.list.legend}`));
  }
  return 0;
}

function combine(remote: Mesh[], local: LocalMesh[]): ListedMesh[] {
  const localIds = new Set(local.map((mesh) => mesh.id));
  const remoteIds = new Set(remote.map((mesh) => mesh.id));
  return [
    ...remote.map((mesh) => ({
      id: mesh.id,
      slug: mesh.slug,
      name: mesh.name,
      role: mesh.role,
      member_count: mesh.member_count,
      presence: (localIds.has(mesh.id) ? "joined" : "server_only") as Presence,
    })),
    ...local
      .filter((mesh) => !remoteIds.has(mesh.id))
      .map((mesh) => ({
        id: mesh.id,
        slug: mesh.slug,
        name: mesh.name,
        role: mesh.role,
        member_count: null,
        presence: "local_only" as const,
      })),
  ];
}
