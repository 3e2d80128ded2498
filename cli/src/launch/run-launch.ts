import { spawn } from "node:child_process";
import { constants, hostname } from "node:os";
import { ClaudemeshError, type LocalMesh, neutralText } from "@claudemesh/sdk";
import type { CliContext } from "../context.js";
import { requireSavedCredential } from "../credentials.js";
import { LocalizedError, roleText } from "../i18n/language.js";
import { credentialVariables, holdsCredential } from "../inherited-credentials.js";
import { findLocalMesh } from "../meshes.js";
import { withMcpConfig, writeMcpConfig } from "./mcp-config.js";

export interface LaunchOptions {
  /** Without it, a terminal gets the wizard's launch path; anything else, an error naming the flag. */
  mesh?: string;
  name?: string;
  role?: string;
  yes?: boolean;
  /** Refused: a token in argv is every local user's to read while Claude Code runs. */
  token?: string;
}

/**
 * The whole environment Claude Code starts with: this process's, less CLAUDEMESH_TOKEN and
 * any variable holding something shaped like a claudemesh token (Claude Code and what it
 * runs must not inherit a credential), plus the mesh it runs in, as neutral text.
 */
export function meshEnvironment(
  parent: NodeJS.ProcessEnv,
  mesh: LocalMesh,
  name: string,
  role: string,
): Record<string, string> {
  const inherited: Record<string, string> = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value === undefined || holdsCredential(key, value)) continue;
    inherited[key] = value;
  }
  const mine = {
    CLAUDEMESH_API_URL: mesh.api_url,
    CLAUDEMESH_MESH_ID: mesh.id,
    CLAUDEMESH_MESH_SLUG: mesh.slug,
    CLAUDEMESH_MESH_NAME: mesh.name,
    CLAUDEMESH_PEER_NAME: name,
    CLAUDEMESH_PEER_ROLE: role,
  };
  for (const [key, value] of Object.entries(mine)) inherited[key] = neutralText(value);
  return inherited;
}

/**
 * The saved login, which is what Claude Code's `claudemesh mcp` signs in with:
 * launch passes it no token, so CLAUDEMESH_TOKEN is no credential for it.
 */
async function requireSavedLogin(ctx: CliContext): Promise<void> {
  const fromEnvironment = ctx.env.token !== undefined;
  try {
    await requireSavedCredential(ctx);
  } catch (error) {
    if (!fromEnvironment || !(error instanceof ClaudemeshError) || error.code !== "auth_required") throw error;
    throw new LocalizedError("auth_required", ctx.t.launch.envTokenOnly(ctx.apiUrl()));
  }
  if (fromEnvironment) ctx.out.say(ctx.out.dim(ctx.t.launch.envTokenNotPassedOn));
}

/** This launch as a command line, for running it again in a clean process: everything chosen, no token. */
function relaunchArgs(options: LaunchOptions & { mesh: string }, claudeArgs: string[], ctx: CliContext): string[] {
  return [
    "--lang",
    ctx.language,
    "launch",
    "--mesh",
    options.mesh,
    ...(options.name !== undefined ? ["--name", options.name] : []),
    ...(options.role !== undefined ? ["--role", options.role] : []),
    ...(options.yes ? ["--yes"] : []),
    "--",
    ...claudeArgs,
  ];
}

export async function runLaunch(
  options: LaunchOptions & { mesh: string },
  claudeArgs: string[],
  ctx: CliContext,
): Promise<number> {
  await requireSavedLogin(ctx);
  const inherited = credentialVariables(ctx.processEnv);
  if (!ctx.forgetCredentials(ctx.processEnv, inherited, relaunchArgs(options, claudeArgs, ctx))) {
    throw new LocalizedError("invalid_input", ctx.t.launch.cannotForget(inherited.join(", ")));
  }
  const mesh = await findLocalMesh(ctx, options.mesh);
  // Printed, remembered and handed to Claude Code: neutral, wherever they came from (the host name too).
  const name = neutralText(options.name ?? mesh.display_name ?? hostname());
  // Its default, the mesh role, in the user's words: the launch role is a free word for the peers to read.
  const role = neutralText(options.role ?? mesh.launch_role ?? roleText(mesh.role, ctx.t));
  const { out, t } = ctx;

  if (!options.yes && out.io.isTTY && out.io.stdinIsTTY) {
    if (!(await ctx.prompts.yesNo(t.launch.confirm(mesh.slug, name, role)))) {
      out.say(t.launch.notLaunched);
      return 1;
    }
  }
  if (name !== mesh.display_name || role !== mesh.launch_role) {
    await ctx.config().update((config) => ({
      ...config,
      meshes: config.meshes.map((known) =>
        known.id === mesh.id && known.api_url === mesh.api_url
          ? { ...known, display_name: name, launch_role: role }
          : known,
      ),
    }));
  }

  const binary = ctx.processEnv.CLAUDEMESH_CLAUDE_BIN || "claude";
  out.say(t.launch.launching(out.bold(mesh.slug), name, role));
  // Claude Code reaches the mesh through this CLI's own `mcp --mesh <slug>`, named in a file only it needs.
  const mcpConfig = writeMcpConfig(mesh.slug);
  // Ctrl-C belongs to Claude Code now: taking the signal keeps it from ending this process.
  void ctx.signal;
  // Killed or hung up on, launch takes the file with it and passes the signal on (SIGKILL leaves it in the temp folder).
  const forward = (signal: NodeJS.Signals) => {
    mcpConfig.remove();
    child.kill(signal);
  };
  const onExit = () => mcpConfig.remove();
  process.once("exit", onExit);
  process.once("SIGTERM", forward);
  process.once("SIGHUP", forward);
  const child = spawn(binary, withMcpConfig(claudeArgs, mcpConfig.path), {
    stdio: "inherit",
    env: meshEnvironment(ctx.processEnv, mesh, name, role),
  });
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") {
          reject(new LocalizedError("claude_not_found", t.launch.notInstalled(binary)));
        } else reject(new LocalizedError("server_error", t.launch.couldNotStart(binary, error.message)));
      });
      child.once("exit", (code, signal) => {
        resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 1) : 1));
      });
    });
  } finally {
    mcpConfig.remove();
    process.off("exit", onExit);
    process.off("SIGTERM", forward);
    process.off("SIGHUP", forward);
  }
}
