import { ClaudemeshError, inviteSecretFrom, localMeshFrom } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";

/** `claudemesh join <invite-url> [--json]`: accepts an invite and joins the mesh here. */
export function joinCommand(ctx: CliContext): Command {
  return new Command("join")
    .description("join a mesh with an invite link")
    .argument("<invite-url>", "the link you were sent (…/invite/…)")
    .option("--json", "print the mesh as JSON")
    .action(returnsStatus((link: string, options: { json?: boolean }) => runJoin(link, options, ctx)));
}

export async function runJoin(link: string, options: { json?: boolean }, ctx: CliContext): Promise<number> {
  const secret = inviteSecretFrom(link);
  if (!secret) {
    throw new ClaudemeshError("invalid_input", "That is not an invite link; it looks like https://…/invite/<code>.");
  }
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
  if (already_member) out.success(`You are already in ${out.bold(mesh.slug)} (${mesh.role}); it is joined here too.`);
  else out.success(`Joined ${out.bold(mesh.slug)} as ${mesh.role}`);
  out.say(`▸ Start Claude Code in it: ${out.bold(`claudemesh launch --mesh ${mesh.slug}`)}`);
  return 0;
}
