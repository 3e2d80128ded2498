import { ClaudemeshError, type MeshMessage, neutralText } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { returnsStatus } from "../exit-status.js";
import { openCommandConnection } from "../mesh-peers.js";

export interface InboxOptions {
  mesh?: string;
  json?: boolean;
}

/** `claudemesh inbox [--mesh <slug>] [--json]`: prints the messages waiting for you, marks them read, and exits. */
export function inboxCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("inbox")
    .description(t.inbox.description)
    .option("--mesh <slug>", t.peers.mesh)
    .option("--json", t.inbox.json)
    .action(returnsStatus((options: InboxOptions) => runInbox(options, ctx)));
}

export async function runInbox(options: InboxOptions, ctx: CliContext): Promise<number> {
  const { out, t } = ctx;
  const connection = await openCommandConnection(ctx, options.mesh);
  let count = 0;
  try {
    // Each message is printed before it is acked (the loop acks it when asked for the next), so
    // one that never reached the output comes again next time. JSON is written as it goes for the same reason.
    if (options.json) out.io.stdout.write('{"messages":[');
    for await (const message of connection.messages({ queuedOnly: true, signal: ctx.signal })) {
      if (options.json) out.io.stdout.write(`${count === 0 ? "" : ","}\n${JSON.stringify(asJson(message))}`);
      else printMessage(message, ctx);
      count += 1;
    }
    if (options.json) out.print(`${count === 0 ? "" : "\n"}]}`);
    // Ctrl-C ends the loop early: what was printed is acked, the rest waits for next time.
    if (ctx.signal.aborted) throw new ClaudemeshError("cancelled", "Cancelled.");
    if (!options.json && count === 0) out.say(t.inbox.empty(connection.welcome.mesh.slug));
  } finally {
    await connection.close();
  }
  return 0;
}

/**
 * A peer's text as it said it, line by line, each line without the controls and
 * bidi marks that would let it redraw the terminal or pose as the CLI's own output;
 * indented under a header that says who sent it, so it never reads as ours.
 */
function printMessage(message: MeshMessage, ctx: CliContext): void {
  const { out, t } = ctx;
  const header = message.to === "all" ? t.inbox.fromToAll : t.inbox.from;
  out.print(`${out.bold(header(message.from.display_name))} ${out.dim(t.inbox.sentAt(message.sent_at))}`);
  for (const line of neutralLines(message.body)) out.print(`  ${line}`);
}

/** The body's lines, each neutral (line breaks are the only control kept, as the breaks themselves). */
function neutralLines(body: string): string[] {
  return body.split(/\r\n|\n|\r|\u2028|\u2029/).map(neutralText);
}

function asJson(message: MeshMessage) {
  return { ...message, body: neutralLines(message.body).join("\n") };
}
