import type { MeshMessage, Peer, Recipient } from "@claudemesh/sdk";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ServerNotification } from "@modelcontextprotocol/sdk/types.js";
import * as z from "zod";
import type { MeshLink } from "../context.js";
import { Inbox } from "./inbox.js";
import {
  labelledMessage,
  neutralMessage,
  neutralPeer,
  PEER_TEXT_PREAMBLE,
  peerLine,
  peerSummary,
} from "./peer-text.js";

/** Claude Code's experimental push into a running session (it gates on this capability key, 2.1.x). */
export const CHANNEL_NOTIFICATION = "notifications/claude/channel";

export interface MeshMcpServerOptions {
  /** The mesh this session is in, as `claudemesh mcp --mesh` named it. */
  meshSlug: string;
  version: string;
  /** The mesh connection; a rejection (signed out, server down) is what each tool then answers. */
  link: Promise<MeshLink>;
}

/** A tool's answer: text for the model, the same facts as structured content for programs. */
type ToolAnswer = {
  content: { type: "text"; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
};

const text = (...parts: string[]): ToolAnswer["content"] =>
  parts.map((part) => ({ type: "text" as const, text: part }));

/** A failure as the model reads it: one neutral line, no stack. */
function failure(error: unknown): ToolAnswer {
  const message = error instanceof Error ? error.message : String(error);
  return { content: text(`claudemesh: ${peerLine(message)}`), isError: true };
}

/** Who `to` names: `@all`, a member id, a session id, or a display name that only one member online has. */
export function resolveRecipient(to: string, peers: readonly Peer[]): Recipient {
  const wanted = to.trim();
  if (wanted === "@all") return "@all";
  const bySession = peers.find((peer) => peer.session_id === wanted);
  if (bySession) return { member_id: bySession.member_id, session_id: bySession.session_id };
  if (peers.some((peer) => peer.member_id === wanted)) return { member_id: wanted };
  const named = peers.filter((peer) => peerLine(peer.display_name).toLowerCase() === wanted.toLowerCase());
  const members = [...new Set(named.map((peer) => peer.member_id))];
  if (members.length === 1 && members[0] !== undefined) return { member_id: members[0] };
  if (members.length > 1) {
    throw new Error(
      `"${peerLine(wanted)}" names more than one member; send to one of their member ids: ${members.map(peerLine).join(", ")}`,
    );
  }
  throw new Error(
    `No peer "${peerLine(wanted)}" is online in this mesh (list_peers shows who is); a member id reaches an offline member.`,
  );
}

/**
 * The MCP server `claudemesh mcp` runs: tools to list peers, send and read messages, the mesh
 * as a resource, and each new message pushed to Claude Code as a channel notification.
 */
export function createMeshMcpServer(options: MeshMcpServerOptions): { server: McpServer; inbox: Inbox } {
  const { meshSlug, link } = options;
  const inbox = new Inbox();
  const server = new McpServer(
    { name: "claudemesh", version: options.version },
    {
      capabilities: { experimental: { "claude/channel": {} } },
      instructions: `You are in the claudemesh mesh "${peerLine(meshSlug)}" with other Claude Code sessions and people. ${PEER_TEXT_PREAMBLE}`,
    },
  );
  // A link that never came up is answered per tool call; this only keeps it from being an unhandled rejection.
  link.catch(() => {});

  server.registerTool(
    "list_peers",
    {
      title: "List mesh peers",
      description: `Who is online in the mesh ${meshSlug}: each peer's display name, kind, role, host, member id and session id.`,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (): Promise<ToolAnswer> => {
      try {
        const peers = (await (await link).peers()).map(neutralPeer);
        const lines = peers.length === 0 ? ["Nobody else is online in the mesh."] : peers.map(peerSummary);
        return { content: text(lines.join("\n")), structuredContent: { mesh: meshSlug, peers } };
      } catch (error) {
        return failure(error);
      }
    },
  );

  server.registerTool(
    "send_message",
    {
      title: "Send a mesh message",
      description:
        "Send a message to a peer of the mesh (a display name, member id or session id from list_peers) or to everyone with @all.",
      inputSchema: {
        to: z.string().min(1).max(300).describe('A display name, member id, session id, or "@all"'),
        message: z.string().min(1).max(60_000).describe("The text to send"),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    async ({ to, message }): Promise<ToolAnswer> => {
      try {
        const connection = await link;
        const recipient = resolveRecipient(to, await connection.peers());
        await connection.send(recipient, message);
        const who = recipient === "@all" ? "everyone in the mesh" : `member ${peerLine(recipient.member_id)}`;
        return { content: text(`Sent to ${who}.`), structuredContent: { sent: true, to: recipient } };
      } catch (error) {
        return failure(error);
      }
    },
  );

  server.registerTool(
    "read_messages",
    {
      title: "Read new mesh messages",
      description: `The messages peers sent to this session (or to everyone) in the mesh ${meshSlug} since the last read. ${PEER_TEXT_PREAMBLE}`,
      annotations: { readOnlyHint: false, openWorldHint: true },
    },
    async (): Promise<ToolAnswer> => {
      try {
        await link;
        const { messages, dropped } = inbox.take();
        const note =
          dropped > 0 ? [`(${dropped} older messages were dropped: more than the inbox keeps arrived unread.)`] : [];
        if (messages.length === 0) {
          return { content: text("No new messages.", ...note), structuredContent: { messages: [], dropped } };
        }
        return {
          content: text(PEER_TEXT_PREAMBLE, ...note, ...messages.map((message) => labelledMessage(message, meshSlug))),
          structuredContent: { messages: messages.map(neutralMessage), dropped },
        };
      } catch (error) {
        return failure(error);
      }
    },
  );

  server.registerResource(
    "mesh",
    `claudemesh://mesh/${encodeURIComponent(meshSlug)}`,
    {
      title: `Mesh ${meshSlug}`,
      description: "The mesh this session is in: its name, who you are in it, and who is online.",
      mimeType: "application/json",
    },
    async (uri) => {
      const connection = await link;
      const { mesh, you } = connection.welcome;
      const document = {
        mesh: { id: peerLine(mesh.id), slug: peerLine(mesh.slug), name: peerLine(mesh.name) },
        you: neutralPeer(you),
        peers: (await connection.peers()).map(neutralPeer),
      };
      return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(document, null, 2) }] };
    },
  );

  inbox.onMessage((message) => void pushToClaudeCode(server, message, meshSlug));
  return { server, inbox };
}

/**
 * Hands a new message to Claude Code as it arrives (its `claude/channel` notification, when the
 * session loaded the channel); it stays unread for `read_messages` either way.
 */
async function pushToClaudeCode(server: McpServer, message: MeshMessage, meshSlug: string): Promise<void> {
  if (!server.isConnected()) return;
  const neutral = neutralMessage(message);
  await server.server
    .notification({
      method: CHANNEL_NOTIFICATION,
      params: {
        content: `${PEER_TEXT_PREAMBLE}\n${labelledMessage(message, meshSlug)}`,
        // Claude Code takes string values only here.
        meta: {
          source: "claudemesh",
          mesh_slug: peerLine(meshSlug),
          message_id: neutral.message_id,
          from_member_id: neutral.from.member_id,
          from_session_id: neutral.from.session_id,
          from_name: neutral.from.display_name,
          to: neutral.to,
          sent_at: neutral.sent_at,
        },
      },
      // Not in the MCP schema's notification union: Claude Code's own extension.
    } as unknown as ServerNotification)
    .catch(() => {});
}
