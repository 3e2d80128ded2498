import type { ApiClient, MemberPresence } from "@claudemesh/sdk";
import type { CliContext, MeshLink } from "./context.js";
import { authenticatedApi } from "./credentials.js";
import { LocalizedError } from "./i18n/language.js";
import { chooseMesh } from "./mesh-choice.js";

/** The mesh a peer command works on: `--mesh`, else the only one, a pick at a terminal, or an error naming them. */
export function meshToUse(ctx: CliContext, api: ApiClient, flag: string | undefined): Promise<string> {
  return flag === undefined ? chooseMesh(ctx, api, ctx.t.peers) : Promise.resolve(flag);
}

/**
 * The member a name stands for: a member id as it is, else the members whose
 * account name or a session's display name is that name (any case). Several
 * are a pick at a terminal and elsewhere an error listing them by id.
 */
export async function findMember(
  ctx: CliContext,
  members: readonly MemberPresence[],
  name: string,
  mesh: string,
): Promise<MemberPresence> {
  const { t } = ctx;
  const byId = members.find((member) => member.member_id === name);
  if (byId) return byId;
  const wanted = name.trim().toLowerCase();
  const named = members.filter(
    (member) =>
      member.name.toLowerCase() === wanted ||
      member.sessions.some((session) => session.display_name.toLowerCase() === wanted),
  );
  const [only] = named;
  if (named.length === 1 && only) return only;
  if (named.length === 0) throw new LocalizedError("not_found", t.peers.noSuchPeer(name, mesh));
  if (!ctx.out.io.isTTY || !ctx.out.io.stdinIsTTY) {
    const candidates = named.map((member) => `${member.name} (${member.member_id})`).join(", ");
    throw new LocalizedError("invalid_input", t.peers.ambiguous(name, candidates));
  }
  const id = await ctx.prompts.select({
    message: t.peers.pickPeer(name),
    options: named.map((member) => ({
      value: member.member_id,
      label: member.name,
      hint: [member.member_id, ...member.sessions.map((session) => session.display_name)].join(" · "),
    })),
  });
  const picked = named.find((member) => member.member_id === id);
  if (!picked) throw new LocalizedError("not_found", t.peers.noSuchPeer(name, mesh));
  return picked;
}

/** A member's name as a person reads it, the same in every peer command. */
export function memberLabel(member: Pick<MemberPresence, "name" | "member_id">): string {
  return member.name || member.member_id;
}

/**
 * The mesh a short-lived command (send, inbox) works on, and a connection to it:
 * invisible (a command that comes and goes is no peer anyone should see), without
 * reconnecting (a dropped connection fails the command), ended by Ctrl-C.
 */
export async function openCommandConnection(
  ctx: CliContext,
  meshFlag: string | undefined,
  beforeConnecting: (api: ApiClient, mesh: string) => Promise<void> = async () => {},
): Promise<MeshLink> {
  const { api, credential } = await authenticatedApi(ctx);
  const mesh = await meshToUse(ctx, api, meshFlag);
  await beforeConnecting(api, mesh);
  return ctx.connectMesh({
    token: credential.token,
    mesh,
    hello: { kind: "cli", visible: false },
    signal: ctx.signal,
    reconnect: false,
  });
}
