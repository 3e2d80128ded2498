import { randomUUID } from "node:crypto";
import type { RunningServer } from "@claudemesh/test-support/server-process";
import { ApiClient } from "../../src/api/client.js";
import { readSdkEnv } from "../../src/env.js";

/** An account on the test server with a PAT and a client signed in with it. */
export interface MeshMember {
  id: string;
  name: string;
  token: string;
  tokenId: string;
  api: ApiClient;
}

export async function newMeshMember(server: RunningServer, name: string): Promise<MeshMember> {
  const { cookie } = await server.signUp(name);
  const pat = await server.createPat(cookie, `${name} mesh`);
  const api = await ApiClient.create({ baseUrl: server.url, token: pat.token, env: readSdkEnv({}) });
  const { user } = await api.whoami();
  return { id: user.id, name, token: pat.token, tokenId: pat.id, api };
}

/** A new mesh of `owner` that each of `others` joined with an invite; its slug. */
export async function meshWith(owner: MeshMember, others: MeshMember[]): Promise<string> {
  const mesh = await owner.api.createMesh({ name: `Mesh ${randomUUID().slice(0, 8)}` });
  for (const other of others) {
    const invite = await owner.api.createInvite(mesh.slug, { role: "member", expires_in: 3600 });
    await other.api.acceptInvite(invite.url.split("/invite/")[1] ?? "");
  }
  return mesh.slug;
}
