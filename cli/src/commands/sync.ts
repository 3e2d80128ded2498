import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { reportSync, syncMeshes } from "../meshes.js";

/** `claudemesh sync [--json]`: makes this machine's meshes match the server's. */
export function syncCommand(ctx: CliContext): Command {
  return new Command("sync")
    .description(ctx.t.sync.description)
    .option("--json", ctx.t.sync.json)
    .action(async (options: { json?: boolean }) => {
      const { api } = await authenticatedApi(ctx);
      const result = await syncMeshes(ctx, api);
      if (options.json) {
        const slugs = (meshes: { slug: string }[]) => meshes.map((mesh) => mesh.slug);
        const mine = result.meshes.filter((mesh) => mesh.api_url === ctx.apiUrl());
        return ctx.out.print(
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
      }
      reportSync(ctx, result);
    });
}
