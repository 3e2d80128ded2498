import { Command } from "commander";
import type { CliContext } from "../context.js";
import { returnsStatus } from "../exit-status.js";

/** `claudemesh telemetry on|off|status [--json]`. */
export function telemetryCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("telemetry")
    .description(t.telemetry.description)
    .addCommand(new Command("on").description(t.telemetry.on).action(returnsStatus(() => runTelemetrySet(true, ctx))))
    .addCommand(
      new Command("off").description(t.telemetry.off).action(returnsStatus(() => runTelemetrySet(false, ctx))),
    )
    .addCommand(
      new Command("status")
        .description(t.telemetry.status)
        .option("--json", t.json)
        .action(returnsStatus((options: { json?: boolean }) => runTelemetryStatus(options, ctx))),
    );
}

export async function runTelemetrySet(enabled: boolean, ctx: CliContext): Promise<number> {
  await ctx.telemetry.setEnabled(enabled);
  ctx.out.success(ctx.t.telemetry.is(enabled));
  if (enabled && ctx.telemetry.disabledByEnvironment) ctx.out.warn(ctx.t.telemetry.keptOff);
  return 0;
}

export async function runTelemetryStatus(options: { json?: boolean }, ctx: CliContext): Promise<number> {
  const state = await ctx.telemetry.state();
  if (options.json) {
    ctx.out.print(JSON.stringify({ enabled: state.enabled, decided_by: state.decidedBy }, null, 2));
    return 0;
  }
  const { t } = ctx;
  const why = {
    environment: t.telemetry.byEnvironment,
    setting: t.telemetry.bySetting,
    default: t.telemetry.byDefault,
  }[state.decidedBy];
  ctx.out.print(t.telemetry.isBecause(state.enabled, why));
  // What is collected is said once, here or by the first other command, never again.
  if (state.enabled && (await ctx.telemetry.takeNotice().catch(() => false)))
    ctx.out.say(ctx.out.dim(t.telemetry.notice));
  return 0;
}
