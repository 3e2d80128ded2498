import type { MeshMessage } from "@claudemesh/sdk";
import type { MeshLink } from "../context.js";

/** How many unread messages wait for `read_messages`; past it the oldest go (and the next read says how many). */
export const INBOX_LIMIT = 500;
/** How many message ids are remembered to drop a redelivery (delivery is at least once). */
const SEEN_LIMIT = 5_000;

/**
 * The messages that reached this session and the model has not read yet. Fed by the
 * link's message stream; each new one is also handed to `onMessage` (the channel push).
 */
export class Inbox {
  readonly #unread: MeshMessage[] = [];
  readonly #seen = new Set<string>();
  #dropped = 0;
  #onMessage: (message: MeshMessage) => void = () => {};

  /** Called with each new message (not with a redelivery of one seen before). */
  onMessage(listener: (message: MeshMessage) => void): void {
    this.#onMessage = listener;
  }

  add(message: MeshMessage): void {
    if (this.#seen.has(message.message_id)) return;
    this.#seen.add(message.message_id);
    if (this.#seen.size > SEEN_LIMIT) {
      const oldest = this.#seen.values().next();
      if (!oldest.done) this.#seen.delete(oldest.value);
    }
    this.#unread.push(message);
    if (this.#unread.length > INBOX_LIMIT) {
      this.#unread.shift();
      this.#dropped += 1;
    }
    this.#onMessage(message);
  }

  /** Everything unread, oldest first, and how many were dropped for room since the last take; the inbox is then empty. */
  take(): { messages: MeshMessage[]; dropped: number } {
    const taken = { messages: this.#unread.splice(0), dropped: this.#dropped };
    this.#dropped = 0;
    return taken;
  }

  /** Reads the link's messages into the inbox until the stream ends. */
  async follow(link: MeshLink): Promise<void> {
    for await (const message of link.messages()) this.add(message);
  }
}
