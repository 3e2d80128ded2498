import { inviteSecretFrom, localMeshFrom } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { LocalizedError } from "../i18n/language.js";

/** `claudemesh join <invite-url> [--json]`: accepts an invite and joins the mesh here. */
export function joinCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("join")
    .description(t.join.description)
    .argument("<invite-url>", t.join.link)
    .option("--json", t.join.json)
    .action(async (link: string, options: { json?: boolean }) => {
      const secret = inviteSecretFrom(link);
      if (!secret) throw new LocalizedError("invalid_input", t.join.notALink);
      const { api } = await authenticatedApi(ctx);
      const { mesh, already_member } = await api.acceptInvite(secret);
      await ctx.config().update((config) => ({
        ...config,
        meshes: [
          ...config.meshes.filter((known) => known.id !== mesh.id),
          config.meshes.find((known) => known.id === mesh.id) ?? localMeshFrom(mesh, ctx.apiUrl()),
        ],
      }));
      if (options.json) return ctx.out.print(JSON.stringify({ mesh, already_member }, null, 2));
      const { out } = ctx;
      if (already_member) out.success(t.join.already(out.bold(mesh.slug), mesh.role));
      else out.success(t.join.joined(out.bold(mesh.slug), mesh.role));
      out.say(`${t.join.startIn} ${out.bold(`claudemesh launch --mesh ${mesh.slug}`)}`);
    });
}
