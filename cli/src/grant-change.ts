import { ALL_CAPABILITIES, type Capability } from "@claudemesh/sdk";
import type { CliContext } from "./context.js";
import { authenticatedApi } from "./credentials.js";
import { LocalizedError } from "./i18n/language.js";
import { findMember, memberLabel, meshToUse } from "./mesh-peers.js";

/** What a member may do to you after a change: a list (`[]` blocks), or null for the default (everything). */
export type GrantChange = (current: readonly Capability[]) => Capability[] | null;

/** `dm broadcast` as typed, checked; `all` too where the command takes it (revoke). */
export function parseCapabilities(values: readonly string[], ctx: CliContext, allowAll = false): Capability[] {
  const known: readonly string[] = ALL_CAPABILITIES;
  const chosen = new Set<Capability>();
  for (const value of values) {
    const word = value.trim().toLowerCase();
    if (allowAll && word === "all") return [...ALL_CAPABILITIES];
    if (!known.includes(word)) {
      const choices = [...ALL_CAPABILITIES, ...(allowAll ? ["all"] : [])].join(", ");
      throw new LocalizedError("invalid_input", ctx.t.grants.badCapability(value, choices));
    }
    chosen.add(word as Capability);
  }
  return [...chosen];
}

/**
 * Changes what one member may do to you in a mesh: reads your grants, applies
 * `change` to theirs (everything when you never set any), and saves the result;
 * says what they may do now.
 */
export async function changeGrant(
  ctx: CliContext,
  peer: string,
  meshFlag: string | undefined,
  change: GrantChange,
): Promise<number> {
  const { out } = ctx;
  const { api } = await authenticatedApi(ctx);
  const mesh = await meshToUse(ctx, api, meshFlag);
  const [{ members }, grants] = await Promise.all([api.listPeers(mesh), api.getGrants(mesh)]);
  const member = await findMember(ctx, members, peer, mesh);
  const next = change(grants.peers[member.member_id] ?? ALL_CAPABILITIES);
  // Every capability is the default itself: saved as such, so later defaults apply to them too.
  const capabilities = next !== null && ALL_CAPABILITIES.every((cap) => next.includes(cap)) ? null : next;
  await api.updateGrant(mesh, { peer: member.member_id, capabilities });
  out.success(grantText(memberLabel(member), capabilities, ctx));
  return 0;
}

/** What a member may do to you, in words: everything, some of it, or nothing (blocked). */
export function grantText(name: string, capabilities: readonly Capability[] | null, { t }: CliContext): string {
  if (capabilities === null) return t.grants.everything(name);
  if (capabilities.length === 0) return t.grants.blocked(name);
  return t.grants.only(name, capabilities.join(", "));
}
