import { ClaudemeshError, PeerList } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { type CommandCase, runCase } from "../testing/command-table.js";
import { FakeMesh, type FakeMeshScript, memberAnswer, peer } from "../testing/fake-mesh.js";
import { ok } from "../testing/fake-transport.js";

const BO = memberAnswer({ member_id: "user-bo", name: "Bo", sessions: [peer("user-bo", "bo-reviewer")] });
const OTHER_BO = memberAnswer({ member_id: "user-bo2", name: "bo" });
const ADA = memberAnswer({ member_id: "user-ada", name: "Ada Lovelace" });
const listed = (...members: (typeof BO)[]) => ({
  route: "GET /api/my/meshes/platform-team/peers",
  reply: ok(PeerList, { members }),
});

/** A row whose check reads the fake mesh (what was sent, opened, closed). */
function sendCase(
  row: Omit<CommandCase, "mesh" | "check"> & { check?: (mesh: FakeMesh) => void },
  script: FakeMeshScript = {},
): CommandCase {
  const mesh = new FakeMesh(script);
  return { ...row, mesh, check: () => row.check?.(mesh) };
}

const cases: CommandCase[] = [
  sendCase({
    name: "by name: to that member id, on an invisible connection, closed after",
    args: ["send", "Bo", "build is green", "--mesh", "platform-team"],
    savedLogin: "session",
    stubs: [listed(ADA, BO)],
    wantStatus: 0,
    wantStderr: ["✔ Sent to Bo in platform-team"],
    stdoutIs: "",
    check: (mesh) => {
      expect(mesh.sent).toEqual([{ to: { member_id: "user-bo" }, body: "build is green" }]);
      expect(mesh.opened[0]).toMatchObject({ mesh: "platform-team", hello: { kind: "cli", visible: false } });
      expect(mesh.closed).toBe(1);
    },
  }),
  sendCase({
    name: "by a session's display name or by member id",
    args: ["send", "bo-reviewer", "hi", "--mesh", "platform-team"],
    savedLogin: "session",
    stubs: [listed(ADA, BO)],
    wantStatus: 0,
    check: (mesh) => expect(mesh.sent[0]?.to).toEqual({ member_id: "user-bo" }),
  }),
  sendCase({
    name: "@all needs no lookup",
    args: ["send", "@all", "standup in 5", "--mesh", "platform-team", "--json"],
    savedLogin: "session",
    wantStatus: 0,
    check: (mesh) => expect(mesh.sent).toEqual([{ to: "@all", body: "standup in 5" }]),
    wantStdout: ['"message_id": "msg-1"'],
  }),
  sendCase({
    name: "the message from stdin with -, one trailing newline dropped",
    args: ["send", "Bo", "-", "--mesh", "platform-team"],
    stdin: "line one\nline two\n",
    savedLogin: "session",
    stubs: [listed(BO)],
    wantStatus: 0,
    check: (mesh) => expect(mesh.sent[0]?.body).toBe("line one\nline two"),
  }),
  sendCase({
    name: "the message from stdin when left out and stdin is not a terminal",
    args: ["send", "@all", "--mesh", "platform-team"],
    stdin: "piped\n",
    savedLogin: "session",
    wantStatus: 0,
    check: (mesh) => expect(mesh.sent[0]?.body).toBe("piped"),
  }),
  sendCase({
    name: "no message at a terminal: says how to give one, connects nowhere",
    args: ["send", "Bo", "--mesh", "platform-team"],
    tty: true,
    savedLogin: "session",
    wantStatus: 1,
    wantStderr: ["What should the message say?"],
    check: (mesh) => expect(mesh.opened).toEqual([]),
  }),
  sendCase({
    name: "an empty message is refused",
    args: ["send", "Bo", "  ", "--mesh", "platform-team"],
    savedLogin: "session",
    wantStatus: 1,
    wantStderr: ["The message is empty."],
  }),
  sendCase({
    name: "an ambiguous name without a terminal fails listing the candidates by id",
    args: ["send", "BO", "hi", "--mesh", "platform-team"],
    savedLogin: "session",
    stubs: [listed(BO, OTHER_BO)],
    wantStatus: 1,
    wantStderr: ["More than one member is called BO; name one by member id: Bo (user-bo), bo (user-bo2)."],
    check: (mesh) => expect(mesh.opened).toEqual([]),
  }),
  sendCase({
    name: "an ambiguous name at a terminal: a pick",
    args: ["send", "bo", "hi", "--mesh", "platform-team"],
    tty: true,
    savedLogin: "session",
    stubs: [listed(BO, OTHER_BO)],
    prompts: [{ select: "user-bo2" }],
    wantAsked: ["Which bo?"],
    wantStatus: 0,
    check: (mesh) => expect(mesh.sent[0]?.to).toEqual({ member_id: "user-bo2" }),
  }),
  sendCase({
    name: "nobody by that name: exit 1, says how to see who is there",
    args: ["send", "Zed", "hi", "--mesh", "platform-team"],
    savedLogin: "session",
    stubs: [listed(BO)],
    wantStatus: 1,
    wantStderr: ["Nobody in platform-team is called Zed. Run `claudemesh peers --mesh platform-team` to see who is."],
  }),
  sendCase(
    {
      name: "a refusal by the broker is the command's failure, and the connection is still closed",
      args: ["send", "@all", "hi", "--mesh", "platform-team"],
      savedLogin: "session",
      wantStatus: 1,
      wantStderr: ["slow down"],
      check: (mesh) => expect(mesh.closed).toBe(1),
    },
    { refuseSend: new ClaudemeshError("rate_limited", "slow down") },
  ),
  sendCase({
    name: "in Spanish",
    args: ["send", "@all", "hola", "--mesh", "platform-team", "--lang", "es"],
    savedLogin: "session",
    wantStatus: 0,
    wantStderr: ["✔ Enviado a todos en platform-team"],
  }),
];

describe("claudemesh send", () => {
  it.each(cases)("$name", runCase);

  it("sends with the --token given, not the saved login", async () => {
    const { runCommand } = await import("../testing/fake-context.js");
    const { mintToken } = await import("@claudemesh/sdk");
    const token = mintToken("pat");
    const mesh = new FakeMesh();
    const result = await runCommand(["send", "@all", "hi", "--mesh", "platform-team", "--token", token], {
      savedLogin: "session",
      mesh,
    });
    expect(result.status).toBe(0);
    expect(mesh.opened[0]?.token).toBe(token);
  });
});
