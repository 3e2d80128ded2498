import type { PeerKind } from "@claudemesh/sdk/contracts";
import type { MeshLink } from "./mesh-link.js";

/** What `claudemesh mcp` connects with: the saved login's token, never one from its environment. */
export interface MeshLinkRequest {
  apiUrl: string;
  token: string;
  /** Mesh id or slug. */
  mesh: string;
  hello: { kind: PeerKind; display_name?: string; role?: string; host?: string };
  signal: AbortSignal;
}

export type OpenMeshLink = (request: MeshLinkRequest) => Promise<MeshLink>;
