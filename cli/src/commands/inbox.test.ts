import { hasUnsafeCharacters } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { runCommand } from "../testing/fake-context.js";
import { FakeMesh, meshMessage } from "../testing/fake-mesh.js";

// Escape sequences (clear screen, OSC title, a fake prompt after a carriage return),
// C1 CSI, bidi overrides and isolates: what a hostile peer would send to a terminal.
const HOSTILE =
  "\u001b[2J\u001b]0;pwned\u0007hello\r✔ Signed in as root\n\u009b31mred\u202eevil\u2066isolated\u2069\u2028next";

describe("claudemesh inbox", () => {
  it("prints each message under a header naming its sender, then acks it, then closes", async () => {
    const mesh = new FakeMesh({
      queued: [
        meshMessage({ message_id: "m1", body: "build is green" }),
        meshMessage({
          message_id: "m2",
          body: "standup\nin 5",
          to: "all",
          from: { member_id: "user-cy", session_id: "s", display_name: "Cy" },
        }),
      ],
    });
    const result = await runCommand(["inbox", "--mesh", "platform-team"], { savedLogin: "session", mesh });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      [
        "From Bo: 2026-06-01 11:58 UTC",
        "  build is green",
        "From Cy, to everyone: 2026-06-01 11:58 UTC",
        "  standup",
        "  in 5",
        "",
      ].join("\n"),
    );
    expect(mesh.acked).toEqual(["m1", "m2"]);
    expect(mesh.opened[0]).toMatchObject({ hello: { kind: "cli", visible: false }, reconnect: false });
    expect(mesh.closed).toBe(1);
  });

  it("a message full of escape codes and bidi controls prints as plain text, each line indented under its sender", async () => {
    const mesh = new FakeMesh({ queued: [meshMessage({ message_id: "evil", body: HOSTILE })] });
    const result = await runCommand(["inbox", "--mesh", "platform-team"], { savedLogin: "session", mesh });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      [
        "From Bo: 2026-06-01 11:58 UTC",
        "  [2J]0;pwnedhello",
        "  ✔ Signed in as root",
        "  31mredevilisolated",
        "  next",
        "",
      ].join("\n"),
    );
    // Nothing that a terminal would act on is left: no ESC, BEL, C1, bidi or separator characters.
    expect(result.stdout.split("\n").filter(hasUnsafeCharacters)).toEqual([]);
  });

  it("--json: every message, the body neutral but for its line breaks; valid JSON even when empty", async () => {
    const mesh = new FakeMesh({ queued: [meshMessage({ message_id: "evil", body: HOSTILE })] });
    const result = await runCommand(["inbox", "--mesh", "platform-team", "--json"], { savedLogin: "session", mesh });
    const { messages } = JSON.parse(result.stdout) as { messages: { message_id: string; body: string }[] };
    expect(messages).toHaveLength(1);
    expect(messages[0]?.body).toBe("[2J]0;pwnedhello\n✔ Signed in as root\n31mredevilisolated\nnext");
    expect(messages.map((message) => message.body.replaceAll("\n", "")).filter(hasUnsafeCharacters)).toEqual([]);

    const empty = await runCommand(["inbox", "--mesh", "platform-team", "--json"], {
      savedLogin: "session",
      mesh: new FakeMesh(),
    });
    expect(JSON.parse(empty.stdout)).toEqual({ messages: [] });
  });

  it("nothing waiting: says so on stderr, nothing on stdout", async () => {
    const result = await runCommand(["inbox", "--mesh", "platform-team"], {
      savedLogin: "session",
      mesh: new FakeMesh(),
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("No new messages in platform-team.");
  });

  it("in Spanish", async () => {
    const mesh = new FakeMesh({ queued: [meshMessage({ message_id: "m1", body: "hola", to: "all" })] });
    const result = await runCommand(["inbox", "--mesh", "platform-team", "--lang", "es"], {
      savedLogin: "session",
      mesh,
    });
    expect(result.stdout).toContain("De Bo, para todos: el 2026-06-01 a las 11:58 UTC");
  });

  it("Ctrl-C: exit 130, the JSON still closed, the connection closed", async () => {
    const interrupt = new AbortController();
    interrupt.abort();
    const mesh = new FakeMesh({ queued: [meshMessage({ message_id: "m1", body: "hi" })] });
    const result = await runCommand(["inbox", "--mesh", "platform-team", "--json"], {
      savedLogin: "session",
      mesh,
      interrupt,
    });
    expect(result.status).toBe(130);
    expect(JSON.parse(result.stdout)).toMatchObject({ messages: [{ message_id: "m1" }] });
    expect(mesh.closed).toBe(1);
  });
});
