import type { Peer, Recipient } from "@claudemesh/sdk/contracts";

/** A message as the broker delivers it (the SDK's MessageFrame, less its `type`). */
export interface DeliveredMessage {
  message_id: string;
  from: { member_id: string; session_id: string; display_name: string };
  to: "direct" | "all";
  body: string;
  sent_at: string;
}

/**
 * What the MCP server needs of a mesh connection: the SDK's MeshConnection has this shape,
 * and in-process tests pass an in-memory one.
 */
export interface MeshLink {
  readonly welcome: { mesh: { id: string; slug: string; name: string }; you: Peer };
  peers(): Peer[] | Promise<Peer[]>;
  send(to: Recipient, body: string): Promise<unknown>;
  messages(): AsyncIterable<DeliveredMessage>;
  close(): void;
}
