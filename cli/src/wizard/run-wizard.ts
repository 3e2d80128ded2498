import * as prompts from "@clack/prompts";
import { neutralText } from "@claudemesh/sdk";
import type { CliContext } from "../context.js";
import type { Messages } from "../i18n/en.js";
import { type LaunchOptions, runLaunch } from "../launch/run-launch.js";
import { WIZARD_STEPS, type WizardState } from "./steps.js";

/** The status rows (seed): what is filled in and what is left. */
function statusRows(state: WizardState, t: Messages): string {
  const labels = [t.wizard.account, t.wizard.mesh, t.wizard.name, t.wizard.role];
  const width = Math.max(8, ...labels.map((label) => label.length + 1));
  const row = (label: string, value: string | undefined) => `${label.padEnd(width)}${value ? `✔ ${value}` : "▸"}`;
  // A value the command line gave says so, as the seed shows: `Name ✔ Alexis (from --name)`.
  const given = (id: "name" | "role") => {
    const value = state[id];
    return value !== undefined && state.fromFlags?.includes(id) ? `${value} ${t.wizard.fromFlag(`--${id}`)}` : value;
  };
  return [
    row(t.wizard.account, state.user ? `${state.user.name} <${state.user.email}>` : undefined),
    row(t.wizard.mesh, state.mesh?.slug),
    row(t.wizard.name, given("name")),
    row(t.wizard.role, given("role")),
  ].join("\n");
}

/**
 * Bare `claudemesh` at a terminal: from a fresh machine to Claude Code in a
 * mesh in one go — sign in (or paste a token, join by invite, create an
 * account), pick or create a mesh, name, role, confirm, launch. Each step runs
 * only while its part of the state is missing, so a signed-in user starts at
 * the mesh picker. `claudemesh launch` without `--mesh` comes here with its
 * other flags: a name or role given is not asked again, `--yes` skips the
 * confirmation, and Claude Code gets the arguments after `--`.
 */
export async function runWizard(
  ctx: CliContext,
  launch: { options?: Omit<LaunchOptions, "mesh">; claudeArgs?: string[] } = {},
): Promise<number> {
  const { t } = ctx;
  const { options = {}, claudeArgs = [] } = launch;
  const io = { input: ctx.out.io.stdin, output: ctx.out.io.stdout };
  prompts.intro("██ claudemesh", io);
  let state: WizardState = presetFromFlags(options);
  for (
    let step = WIZARD_STEPS.find((s) => !s.isComplete(state));
    step;
    step = WIZARD_STEPS.find((s) => !s.isComplete(state))
  ) {
    if (step.id === "mesh") prompts.note(statusRows(state, t), "claudemesh launch", io);
    state = await step.run(state, ctx);
  }
  prompts.note(statusRows(state, t), "claudemesh launch", io);
  const go =
    options.yes ||
    (await ctx.prompts.confirm({
      message: t.launch.confirm(state.mesh?.slug ?? "", state.name ?? "", state.role ?? ""),
    }));
  if (!go || !state.mesh) {
    prompts.outro(t.wizard.notLaunched, io);
    return 0;
  }
  prompts.outro(t.wizard.handingOver, io);
  return runLaunch({ mesh: state.mesh.slug, name: state.name, role: state.role, yes: true }, claudeArgs, ctx);
}

/** The name and role given as flags, neutral as runLaunch makes them (they are shown before it runs). */
function presetFromFlags(options: Omit<LaunchOptions, "mesh">): WizardState {
  const state: WizardState = { fromFlags: [] };
  for (const id of ["name", "role"] as const) {
    const value = options[id];
    if (value === undefined) continue;
    state[id] = neutralText(value);
    state.fromFlags?.push(id);
  }
  return state;
}
