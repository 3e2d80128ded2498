import { inviteSecretFrom, localMeshFrom } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { LocalizedError, roleText } from "../i18n/language.js";

/** `claudemesh join <invite-url> [--json]`: accepts an invite and joins the mesh here. */
export function joinCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("join")
    .description(t.join.description)
    .argument("<invite-url>", t.join.link)
    .option("--json", t.join.json)
    .action(returnsStatus((link: string, options: { json?: boolean }) => runJoin(link, options, ctx)));
}

export async function runJoin(link: string, options: { json?: boolean }, ctx: CliContext): Promise<number> {
  const secret = inviteSecretFrom(link);
  const { t } = ctx;
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
  if (options.json) {
    ctx.out.print(JSON.stringify({ mesh, already_member }, null, 2));
    return 0;
  }
  const { out } = ctx;
  if (already_member) out.success(t.join.already(out.bold(mesh.slug), roleText(mesh.role, t)));
  else out.success(t.join.joined(out.bold(mesh.slug), roleText(mesh.role, t)));
  out.say(`${t.join.startIn} ${out.bold(`claudemesh launch --mesh ${mesh.slug}`)}`);
  return 0;
}
