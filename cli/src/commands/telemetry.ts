import { Command } from "commander";
import type { CliContext } from "../context.js";
import { returnsStatus } from "../exit-status.js";
import { TELEMETRY_NOTICE } from "../telemetry.js";

/** `claudemesh telemetry on|off|status [--json]`. */
export function telemetryCommand(ctx: CliContext): Command {
  return new Command("telemetry")
    .description("anonymous usage data: on, off, or status")
    .addCommand(
      new Command("on")
        .description("send anonymous usage data")
        .action(returnsStatus(() => runTelemetrySet(true, ctx))),
    )
    .addCommand(
      new Command("off")
        .description("stop sending usage data")
        .action(returnsStatus(() => runTelemetrySet(false, ctx))),
    )
    .addCommand(
      new Command("status")
        .description("show whether usage data is sent, and why")
        .option("--json", "print JSON")
        .action(returnsStatus((options: { json?: boolean }) => runTelemetryStatus(options, ctx))),
    );
}

export async function runTelemetrySet(enabled: boolean, ctx: CliContext): Promise<number> {
  await ctx.telemetry.setEnabled(enabled);
  ctx.out.success(`Telemetry is ${enabled ? "on" : "off"}.`);
  if (enabled && ctx.telemetry.disabledByEnvironment) {
    ctx.out.warn("DO_NOT_TRACK or CLAUDEMESH_TELEMETRY=0 is set here, which keeps it off anyway.");
  }
  return 0;
}

export async function runTelemetryStatus(options: { json?: boolean }, ctx: CliContext): Promise<number> {
  const state = await ctx.telemetry.state();
  if (options.json) {
    ctx.out.print(JSON.stringify({ enabled: state.enabled, decided_by: state.decidedBy }, null, 2));
    return 0;
  }
  const why = {
    environment: "DO_NOT_TRACK or CLAUDEMESH_TELEMETRY is set",
    setting: "you chose it with `claudemesh telemetry on|off`",
    default: "the default; `claudemesh telemetry off` turns it off",
  }[state.decidedBy];
  ctx.out.print(`Telemetry is ${state.enabled ? "on" : "off"} (${why}).`);
  if (state.enabled) ctx.out.say(ctx.out.dim(TELEMETRY_NOTICE));
  return 0;
}
