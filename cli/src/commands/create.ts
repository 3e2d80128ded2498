import { ClaudemeshError, CreateMeshRequest, localMeshFrom } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { errorText, LocalizedError } from "../i18n/language.js";
import { checkInput } from "../input.js";

/** `claudemesh create "<name>" [--slug] [--json]`: a new mesh on the server, joined here. */
export function createCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("create")
    .description(t.create.description)
    .argument("<name>", t.create.name)
    .option("--slug <slug>", t.create.slug)
    .option("--json", t.create.json)
    .action(returnsStatus((name: string, options: CreateOptions) => runCreate(name, options, ctx)));
}

export interface CreateOptions {
  slug?: string;
  json?: boolean;
}

export async function runCreate(name: string, options: CreateOptions, ctx: CliContext): Promise<number> {
  const { t } = ctx;
  const request = checkInput(CreateMeshRequest, { name, slug: options.slug }, { name: "<name>", slug: "--slug" }, t);
  const { api } = await authenticatedApi(ctx);
  let mesh: Awaited<ReturnType<typeof api.createMesh>>;
  try {
    mesh = await api.createMesh(request);
  } catch (error) {
    if (error instanceof ClaudemeshError && error.code === "slug_taken" && error.suggestion) {
      throw new LocalizedError(
        "slug_taken",
        `${errorText(error, t)}\n  ${t.create.tryInstead}: claudemesh create ${JSON.stringify(name)} --slug ${error.suggestion}`,
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
  out.success(t.create.created(out.bold(mesh.slug), mesh.id.slice(0, 8)));
  out.success(t.create.joined);
  out.say(`${t.create.invitePeers} ${out.bold(`claudemesh invite --mesh ${mesh.slug}`)}`);
  return 0;
}
