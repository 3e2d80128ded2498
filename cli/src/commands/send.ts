import { text } from "node:stream/consumers";
import type { Recipient } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { returnsStatus } from "../exit-status.js";
import { LocalizedError } from "../i18n/language.js";
import { findMember, memberLabel, openCommandConnection } from "../mesh-peers.js";

export interface SendOptions {
  mesh?: string;
  json?: boolean;
}

/** `claudemesh send <peer|@all> [message] [--mesh <slug>]`: one message, from the argument or stdin. */
export function sendCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("send")
    .description(t.send.description)
    .argument("<peer>", t.send.peer)
    .argument("[message]", t.send.message)
    .option("--mesh <slug>", t.peers.mesh)
    .option("--json", t.send.json)
    .action(
      returnsStatus((peer: string, message: string | undefined, options: SendOptions) =>
        runSend(peer, message, options, ctx),
      ),
    );
}

export async function runSend(
  peer: string,
  message: string | undefined,
  options: SendOptions,
  ctx: CliContext,
): Promise<number> {
  const { t, out } = ctx;
  const body = await messageBody(message, ctx);
  let to: Recipient = "@all";
  let label = t.send.everyone;
  const connection = await openCommandConnection(ctx, options.mesh, async (api, mesh) => {
    if (peer === "@all") return;
    const member = await findMember(ctx, (await api.listPeers(mesh)).members, peer, mesh);
    to = { member_id: member.member_id };
    label = memberLabel(member);
  });
  try {
    const sent = await connection.send(to, body, { signal: ctx.signal });
    if (options.json) {
      out.print(JSON.stringify({ message_id: sent.message_id, mesh: connection.welcome.mesh.slug, to }, null, 2));
    } else {
      out.success(t.send.sent(label, connection.welcome.mesh.slug));
    }
  } finally {
    await connection.close();
  }
  return 0;
}

/** The argument, or stdin when it is `-` or left out and stdin is no terminal; never empty. */
async function messageBody(message: string | undefined, ctx: CliContext): Promise<string> {
  const { io } = ctx.out;
  let body = message;
  if (message === "-" || (message === undefined && !io.stdinIsTTY)) {
    // One trailing newline is the shell's (`echo`), not the message's.
    body = (await text(io.stdin)).replace(/\r?\n$/, "");
  }
  if (body === undefined) throw new LocalizedError("invalid_input", ctx.t.send.noMessage);
  if (body.trim() === "") throw new LocalizedError("invalid_input", ctx.t.send.empty);
  return body;
}
