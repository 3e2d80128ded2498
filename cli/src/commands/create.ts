import { ClaudemeshError, CreateMeshRequest, localMeshFrom } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { checkInput } from "../input.js";

/** `claudemesh create "<name>" [--slug] [--json]`: a new mesh on the server, joined here. */
export function createCommand(ctx: CliContext): Command {
  return new Command("create")
    .description("create a mesh (you own it) and join it on this machine")
    .argument("<name>", 'what to call it, e.g. "Platform team"')
    .option("--slug <slug>", "its short name in commands and URLs (default: from the name)")
    .option("--json", "print the mesh as JSON")
    .action(returnsStatus((name: string, options: CreateOptions) => runCreate(name, options, ctx)));
}

export interface CreateOptions {
  slug?: string;
  json?: boolean;
}

export async function runCreate(name: string, options: CreateOptions, ctx: CliContext): Promise<number> {
  const request = checkInput(CreateMeshRequest, { name, slug: options.slug }, { name: "<name>", slug: "--slug" });
  const { api } = await authenticatedApi(ctx);
  let mesh: Awaited<ReturnType<typeof api.createMesh>>;
  try {
    mesh = await api.createMesh(request);
  } catch (error) {
    if (error instanceof ClaudemeshError && error.code === "slug_taken" && error.suggestion) {
      throw new ClaudemeshError(
        "slug_taken",
        `${error.message}\n  Try: claudemesh create ${JSON.stringify(name)} --slug ${error.suggestion}`,
      );
    }
    throw error;
  }
  await ctx.config().update((config) => ({
    ...config,
    meshes: [...config.meshes.filter((known) => known.id !== mesh.id), localMeshFrom(mesh, ctx.apiUrl())],
  }));
  if (options.json) {
    ctx.out.print(JSON.stringify(mesh, null, 2));
    return 0;
  }
  const { out } = ctx;
  out.success(`Created mesh ${out.bold(mesh.slug)} (id: ${mesh.id.slice(0, 8)}…)`);
  out.success("Joined locally");
  out.say(`▸ Invite peers: ${out.bold(`claudemesh invite --mesh ${mesh.slug}`)}`);
  return 0;
}
