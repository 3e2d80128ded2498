import type { CliContext } from "../context.js";
import { LocalizedError } from "../i18n/language.js";
import type { OpenMeshLink } from "./open-link.js";

/**
 * The SDK's mesh client as the MCP server's link. Until the SDK's MeshConnection lands
 * (issue 26, mesh-client branch), the tools answer that the mesh is out of reach.
 */
export function sdkMeshLink(ctx: CliContext): OpenMeshLink {
  return async () => {
    throw new LocalizedError("server_error", ctx.t.mcp.brokerMissing);
  };
}
