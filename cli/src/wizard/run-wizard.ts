import * as prompts from "@clack/prompts";
import { runLaunch } from "../commands/launch.js";
import type { CliContext } from "../context.js";
import { WIZARD_STEPS, type WizardState } from "./steps.js";

/** The status rows (seed): what is filled in and what is left. */
function statusRows(state: WizardState): string {
  const row = (label: string, value: string | undefined) => `${label.padEnd(8)}${value ? `✔ ${value}` : "▸"}`;
  return [
    row("Account", state.user ? `${state.user.name} <${state.user.email}>` : undefined),
    row("Mesh", state.mesh?.slug),
    row("Name", state.name),
    row("Role", state.role),
  ].join("\n");
}

/**
 * Bare `claudemesh` at a terminal: from a fresh machine to Claude Code in a
 * mesh in one go — sign in (or paste a token, join by invite, create an
 * account), pick or create a mesh, name, role, confirm, launch. Each step runs
 * only while its part of the state is missing, so a signed-in user starts at
 * the mesh picker.
 */
export async function runWizard(ctx: CliContext): Promise<number> {
  const io = { input: ctx.out.io.stdin, output: ctx.out.io.stdout };
  prompts.intro("██ claudemesh", io);
  let state: WizardState = {};
  for (
    let step = WIZARD_STEPS.find((s) => !s.isComplete(state));
    step;
    step = WIZARD_STEPS.find((s) => !s.isComplete(state))
  ) {
    if (step.id === "mesh") prompts.note(statusRows(state), "claudemesh launch", io);
    state = await step.run(state, ctx);
  }
  prompts.note(statusRows(state), "claudemesh launch", io);
  const go = await ctx.prompts.confirm({
    message: `Launch Claude Code in ${state.mesh?.slug} as ${state.name} (${state.role})?`,
  });
  if (!go || !state.mesh) {
    prompts.outro("Not launched. Run `claudemesh` again any time.", io);
    return 0;
  }
  prompts.outro("Handing over to Claude Code…", io);
  return runLaunch({ mesh: state.mesh.slug, name: state.name, role: state.role, yes: true }, [], ctx);
}
