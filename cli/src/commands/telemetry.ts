import { Command } from "commander";
import type { CliContext } from "../context.js";

/** `claudemesh telemetry on|off|status [--json]`. */
export function telemetryCommand(ctx: CliContext): Command {
  const { t } = ctx;
  const set = (enabled: boolean) => async () => {
    await ctx.telemetry.setEnabled(enabled);
    ctx.out.success(t.telemetry.is(enabled));
    if (enabled && ctx.telemetry.disabledByEnvironment) ctx.out.warn(t.telemetry.keptOff);
  };
  return new Command("telemetry")
    .description(t.telemetry.description)
    .addCommand(new Command("on").description(t.telemetry.on).action(set(true)))
    .addCommand(new Command("off").description(t.telemetry.off).action(set(false)))
    .addCommand(
      new Command("status")
        .description(t.telemetry.status)
        .option("--json", t.json)
        .action(async (options: { json?: boolean }) => {
          const state = await ctx.telemetry.state();
          if (options.json) {
            return ctx.out.print(JSON.stringify({ enabled: state.enabled, decided_by: state.decidedBy }, null, 2));
          }
          const why = {
            environment: t.telemetry.byEnvironment,
            setting: t.telemetry.bySetting,
            default: t.telemetry.byDefault,
          }[state.decidedBy];
          ctx.out.print(t.telemetry.isBecause(state.enabled, why));
          if (state.enabled) ctx.out.say(ctx.out.dim(t.telemetry.notice));
        }),
    );
}
