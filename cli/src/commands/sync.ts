import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { reportSync, syncMeshes } from "../meshes.js";

/** `claudemesh sync [--json]`: makes this machine's meshes match the server's. */
export function syncCommand(ctx: CliContext): Command {
  return new Command("sync")
    .description(ctx.t.sync.description)
    .option("--json", ctx.t.sync.json)
    .action(returnsStatus((options: { json?: boolean }) => runSync(options, ctx)));
}

export async function runSync(options: { json?: boolean }, ctx: CliContext): Promise<number> {
  const { api } = await authenticatedApi(ctx);
  const result = await syncMeshes(ctx, api);
  if (options.json) {
    const slugs = (meshes: { slug: string }[]) => meshes.map((mesh) => mesh.slug);
    const mine = result.meshes.filter((mesh) => mesh.api_url === ctx.apiUrl());
    ctx.out.print(
      JSON.stringify(
        {
          meshes: slugs(mine),
          added: slugs(result.added),
          removed: slugs(result.removed),
          updated: slugs(result.updated),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  reportSync(ctx, result);
  return 0;
}
