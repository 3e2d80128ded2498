import type {
  CliSession,
  CreatedInvite,
  DeviceCodeResponse,
  LocalMesh,
  Mesh,
  TokenSummary,
  Whoami,
} from "@claudemesh/sdk";
import { ADA, API_URL } from "./fake-context.js";

// Canned server answers, typed by the sdk's contracts (and parsed by `ok()` in a stub).

export function whoamiAnswer(kind: Whoami["credential"]["kind"] = "session"): Whoami {
  return {
    user: ADA,
    credential: {
      kind,
      id: kind === "web" ? null : `cred-${kind}`,
      name: kind === "pat" ? "ci-deploy" : kind === "session" ? "ada-laptop" : null,
      expires_at: kind === "pat" ? null : "2026-08-30T12:00:00.000Z",
    },
  };
}

export function sessionAnswer(overrides: Partial<CliSession> = {}): CliSession {
  return {
    id: "sess-1",
    device_name: "ada-laptop",
    device_os: "linux",
    device_arch: "x64",
    ip_address: "203.0.113.7",
    created_at: "2026-05-01T09:00:00.000Z",
    last_used_at: "2026-05-31T09:00:00.000Z",
    expires_at: "2026-08-30T09:00:00.000Z",
    current: true,
    ...overrides,
  };
}

export function tokenAnswer(overrides: Partial<TokenSummary> = {}): TokenSummary {
  return {
    id: "tok-1",
    name: "ci-deploy",
    created_at: "2026-05-01T09:00:00.000Z",
    last_used_at: null,
    expires_at: "2027-05-01T09:00:00.000Z",
    ...overrides,
  };
}

export function meshAnswer(overrides: Partial<Mesh> = {}): Mesh {
  return {
    id: "0f8fad5b-d9cb-469f-a165-70867728950e",
    name: "Platform team",
    slug: "platform-team",
    role: "owner",
    member_count: 3,
    created_at: "2026-05-01T09:00:00.000Z",
    joined_at: "2026-05-01T09:00:00.000Z",
    ...overrides,
  };
}

/** A mesh as config.json holds it once joined here. */
export function joinedMesh(mesh: Mesh = meshAnswer(), overrides: Partial<LocalMesh> = {}): LocalMesh {
  return {
    id: mesh.id,
    slug: mesh.slug,
    name: mesh.name,
    role: mesh.role,
    api_url: API_URL,
    joined_at: mesh.joined_at,
    display_name: null,
    launch_role: null,
    ...overrides,
  };
}

export function inviteAnswer(overrides: Partial<CreatedInvite> = {}): CreatedInvite {
  const mesh = meshAnswer();
  return {
    id: "inv-1",
    url: `${API_URL}/invite/${"s".repeat(43)}`,
    mesh: { id: mesh.id, slug: mesh.slug, name: mesh.name },
    role: "member",
    email: null,
    expires_at: "2026-06-08T12:00:00.000Z",
    email_status: "none",
    ...overrides,
  };
}

export function deviceCodeAnswer(overrides: Partial<DeviceCodeResponse> = {}): DeviceCodeResponse {
  return {
    device_code: "device-secret",
    user_code: "BCDF-GHJK",
    expires_at: "2026-06-01T12:15:00.000Z",
    verification_url: `${API_URL}/cli-auth`,
    verification_url_complete: `${API_URL}/cli-auth?code=BCDF-GHJK`,
    interval: 1.5,
    ...overrides,
  };
}
