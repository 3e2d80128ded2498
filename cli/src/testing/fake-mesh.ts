import type {
  ClaudemeshError,
  MemberPresence,
  MeshConnectionOptions,
  MeshMessage,
  MeshWelcome,
  Peer,
  Recipient,
  SentMessage,
} from "@claudemesh/sdk";
import type { MeshLink } from "../context.js";
import { ADA } from "./fake-context.js";

// A mesh connection for in-process command tests: the MeshLink part of the SDK's
// MeshConnection, answering from a script and recording what the command did with it.
// The real MeshConnection is tested against the real broker (sdk/test/mesh-connection.test.ts).

export interface FakeMeshScript {
  /** Messages queued for the member when the command connects, in order. */
  queued?: MeshMessage[];
  /** Peers online when the command connects. */
  peers?: Peer[];
  /** What the broker does with a send: store it (default), or refuse it with this error. */
  refuseSend?: ClaudemeshError;
}

export class FakeMesh {
  /** The options of every connection the command opened (token included, to check which one it used). */
  readonly opened: MeshConnectionOptions[] = [];
  /** What the command sent, in order. */
  readonly sent: { to: Recipient; body: string }[] = [];
  /** Message ids acked, in order: a message is acked once the command has taken it. */
  readonly acked: string[] = [];
  /** Whether every connection opened was closed. */
  closed = 0;
  readonly #script: FakeMeshScript;

  constructor(script: FakeMeshScript = {}) {
    this.#script = script;
  }

  readonly connect = async (options: MeshConnectionOptions): Promise<MeshLink> => {
    this.opened.push(options);
    const script = this.#script;
    const fake = this;
    const queue = [...(script.queued ?? [])];
    const welcome: MeshWelcome = {
      mesh: { id: "mesh-id", slug: options.mesh, name: options.mesh },
      you: peer(ADA.id, "Ada Lovelace"),
      peers: script.peers ?? [],
    };
    return {
      welcome,
      synced: Promise.resolve(),
      peers: () => [...welcome.peers],
      async send(to: Recipient, body: string): Promise<SentMessage> {
        if (script.refuseSend) throw script.refuseSend;
        fake.sent.push({ to, body });
        return { message_id: `msg-${fake.sent.length}`, client_ref: `ref-${fake.sent.length}` };
      },
      async *messages(): AsyncGenerator<MeshMessage> {
        // As the real one: acked when the consumer asks for the next, or stops.
        let taken: string | undefined;
        try {
          for (const message of queue.splice(0)) {
            if (taken) fake.acked.push(taken);
            taken = message.message_id;
            yield message;
          }
        } finally {
          if (taken) fake.acked.push(taken);
        }
      },
      async close() {
        fake.closed += 1;
      },
    } as MeshLink;
  };
}

export function peer(memberId: string, displayName: string, overrides: Partial<Peer> = {}): Peer {
  return {
    member_id: memberId,
    session_id: `session-${memberId}`,
    display_name: displayName,
    role: null,
    host: null,
    kind: "cli",
    connected_at: "2026-06-01T11:00:00.000Z",
    ...overrides,
  };
}

/** A message as the broker delivers it. */
export function meshMessage(overrides: Partial<MeshMessage> & { body: string }): MeshMessage {
  return {
    message_id: `m-${overrides.body.length}-${overrides.body.slice(0, 8)}`,
    from: { member_id: "user-bo", session_id: "session-bo", display_name: "Bo" },
    to: "direct",
    sent_at: "2026-06-01T11:58:00.000Z",
    ...overrides,
  };
}

/** A member of a mesh as `GET /api/my/meshes/:mesh/peers` lists them. */
export function memberAnswer(overrides: Partial<MemberPresence> & { member_id: string; name: string }): MemberPresence {
  return { mesh_role: "member", online: false, last_seen_at: null, sessions: [], ...overrides };
}
