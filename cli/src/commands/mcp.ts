import { hostname } from "node:os";
import type { LocalMesh } from "@claudemesh/sdk";
import { Command, Option } from "commander";
import type { CliContext } from "../context.js";
import { requireSavedCredential } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { LocalizedError } from "../i18n/language.js";
import { findLocalMesh } from "../meshes.js";

declare const CLAUDEMESH_VERSION: string;

export interface McpOptions {
  mesh?: string;
  /** Refused: this server signs in with the saved login alone. */
  token?: string;
}

/**
 * `claudemesh mcp [--mesh <slug>]`: the stdio MCP server `launch` hands Claude Code. stdout
 * is the protocol; everything for people goes to stderr (Claude Code keeps it in its MCP log).
 */
export function mcpCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("mcp")
    .description(t.mcp.description)
    .option("--mesh <slug>", t.mcp.mesh)
    .addOption(new Option("--token <token>").hideHelp())
    .action(returnsStatus((options: McpOptions) => runMcp(options, ctx)));
}

/** `--mesh`, or the one mesh joined on this server. */
async function meshToServe(ctx: CliContext, slug: string | undefined): Promise<LocalMesh> {
  if (slug !== undefined) return findLocalMesh(ctx, slug);
  const joined = (await ctx.config().read()).meshes.filter((mesh) => mesh.api_url === ctx.apiUrl());
  const [only, ...others] = joined;
  if (!only) throw new LocalizedError("invalid_input", ctx.t.mcp.noMesh(ctx.apiUrl()));
  if (others.length > 0) {
    throw new LocalizedError("invalid_input", ctx.t.mcp.whichMesh(joined.map((mesh) => mesh.slug).join(", ")));
  }
  return only;
}

export async function runMcp(options: McpOptions, ctx: CliContext): Promise<number> {
  if (options.token !== undefined) throw new LocalizedError("invalid_input", ctx.t.mcp.noTokenFlag);
  // Whatever started this process (Claude Code, a config file) is no place for a credential.
  if (ctx.env.token !== undefined) ctx.out.say(ctx.t.mcp.envTokenIgnored);
  const mesh = await meshToServe(ctx, options.mesh);
  const credential = await requireSavedCredential(ctx);
  // Loaded here, not at start: every other command would pay for the MCP SDK.
  const [{ createMeshMcpServer }, { StdioServerTransport }] = await Promise.all([
    import("../mcp/server.js"),
    import("@modelcontextprotocol/sdk/server/stdio.js"),
  ]);
  const stop = new AbortController();
  // Up in the background: Claude Code's handshake does not wait on the broker, and a tool call says why it is out of reach.
  const link = ctx.connectMesh({
    token: credential.token,
    mesh: mesh.id,
    hello: {
      kind: "claude-code",
      ...(mesh.display_name ? { display_name: mesh.display_name } : {}),
      ...(mesh.launch_role ? { role: mesh.launch_role } : {}),
      host: hostname(),
    },
    signal: stop.signal,
    reconnect: true,
  });
  const { server, inbox } = createMeshMcpServer({ meshSlug: mesh.slug, version: CLAUDEMESH_VERSION, link });
  const { stdin, stdout } = ctx.out.io;
  const ended = new Promise<void>((resolve) => {
    // Claude Code ends a stdio server by closing its stdin (then signals it); Ctrl-C ends a hand-run one.
    stdin.once("end", resolve);
    stdin.once("close", resolve);
    ctx.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await server.connect(new StdioServerTransport(stdin, stdout));
  link.then(
    (connected) => inbox.follow(connected).catch((error: unknown) => ctx.out.warn(String(error))),
    (error: unknown) => ctx.out.warn(error instanceof Error ? error.message : String(error)),
  );
  await ended;
  stop.abort();
  await server.close();
  await link.then((connected) => connected.close()).catch(() => {});
  return 0;
}
