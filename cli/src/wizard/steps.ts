import { hostname } from "node:os";
import * as prompts from "@clack/prompts";
import {
  type ApiClient,
  ClaudemeshError,
  inviteSecretFrom,
  isAuthError,
  isWellFormedToken,
  type LocalMesh,
  localMeshFrom,
  type User,
} from "@claudemesh/sdk";
import { runLogin } from "../commands/login.js";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { syncMeshes } from "../meshes.js";

/** What the wizard knows so far; each step fills one part. */
export interface WizardState {
  user?: User;
  /** An invite chosen on the welcome screen, accepted once signed in. */
  inviteSecret?: string;
  mesh?: LocalMesh;
  name?: string;
  role?: string;
}

/** One screen of the wizard (seed "wizard architecture"): done when `isComplete`, else `run` moves the state on. */
export interface WizardStep {
  id: "account" | "mesh" | "name" | "role";
  isComplete(state: WizardState): boolean;
  run(state: WizardState, ctx: CliContext): Promise<WizardState>;
}

const io = (ctx: CliContext) => ({ input: ctx.out.io.stdin, output: ctx.out.io.stdout });

/** Who the saved credential belongs to, or undefined when there is none that works. */
async function currentUser(ctx: CliContext): Promise<User | undefined> {
  try {
    const { api } = await authenticatedApi(ctx);
    return (await api.whoami()).user;
  } catch (error) {
    if (isAuthError(error)) return undefined;
    throw error;
  }
}

async function signIn(ctx: CliContext, options: Parameters<typeof runLogin>[0]): Promise<User> {
  const status = await runLogin({ force: true, ...options }, ctx);
  const user = status === 0 ? await currentUser(ctx) : undefined;
  if (!user) throw new ClaudemeshError("auth_required", "Signing in did not finish.");
  return user;
}

const account: WizardStep = {
  id: "account",
  isComplete: (state) => state.user !== undefined,
  async run(state, ctx) {
    const user = await currentUser(ctx);
    if (user) return { ...state, user };
    const choice = await ctx.prompts.select({
      message: "Welcome to claudemesh. How do you want to start?",
      options: [
        { value: "browser", label: "Sign in", hint: "with a code in your browser" },
        { value: "token", label: "Paste an access token", hint: "cm_pat_…" },
        { value: "invite", label: "Join a mesh with an invite link" },
        { value: "signup", label: "Create an account", hint: "new to claudemesh" },
        { value: "exit", label: "Exit" },
      ],
    });
    if (choice === "exit") throw new ClaudemeshError("cancelled", "Bye.");
    if (choice === "token") {
      const token = await ctx.prompts.secret({
        message: "Paste your access token",
        validate: (value) =>
          isWellFormedToken(value.trim()) ? undefined : "That is not a claudemesh token (cm_pat_… or cm_session_…).",
      });
      return { ...state, user: await signIn(ctx, { token: token.trim(), tokenFromPrompt: true }) };
    }
    if (choice === "invite") {
      const link = await ctx.prompts.text({
        message: "Paste the invite link",
        placeholder: `${ctx.apiUrl()}/invite/…`,
        validate: (value) => (inviteSecretFrom(value) ? undefined : "That is not an invite link (…/invite/…)."),
      });
      prompts.log.info("Sign in first; the invite is accepted right after.", io(ctx));
      const user = await signIn(ctx, {});
      return { ...state, user, inviteSecret: inviteSecretFrom(link) ?? undefined };
    }
    return { ...state, user: await signIn(ctx, { signUp: choice === "signup" }) };
  },
};

const mesh: WizardStep = {
  id: "mesh",
  isComplete: (state) => state.mesh !== undefined,
  async run(state, ctx) {
    const { api } = await authenticatedApi(ctx);
    if (state.inviteSecret) {
      const accepted = await api.acceptInvite(state.inviteSecret);
      prompts.log.success(`Joined ${accepted.mesh.slug} as ${accepted.mesh.role}`, io(ctx));
    }
    const synced = await syncMeshes(ctx, api);
    const mine = synced.meshes.filter((known) => known.api_url === ctx.apiUrl());
    const picked = await ctx.prompts.select({
      message: mine.length ? `Mesh (pick one — ${mine.length} available)` : "You are in no mesh yet",
      options: [
        ...mine.map((known) => ({ value: known.id, label: known.slug, hint: `${known.name} · ${known.role}` })),
        { value: "__create", label: "Create a mesh" },
        { value: "__join", label: "Join with an invite link" },
        { value: "__exit", label: "Exit" },
      ],
    });
    if (picked === "__exit") throw new ClaudemeshError("cancelled", "Bye.");
    if (picked === "__join") return { ...state, mesh: await joinByLink(ctx, api) };
    if (picked !== "__create") return { ...state, mesh: mine.find((known) => known.id === picked) };
    const name = await ctx.prompts.text({
      message: "Name the mesh",
      placeholder: "Platform team",
      validate: (value) => (value.trim() ? undefined : "A mesh needs a name."),
    });
    const created = await api.createMesh({ name: name.trim() });
    const local = localMeshFrom(created, ctx.apiUrl());
    await ctx.config().update((config) => ({ ...config, meshes: [...config.meshes, local] }));
    prompts.log.success(`Created mesh ${created.slug}`, io(ctx));
    return { ...state, mesh: local };
  },
};

/** The mesh an invite link someone sent leads to, joined and saved to config.json. */
async function joinByLink(ctx: CliContext, api: ApiClient): Promise<LocalMesh> {
  const link = await ctx.prompts.text({
    message: "Paste the invite link",
    placeholder: `${ctx.apiUrl()}/invite/…`,
    validate: (value) => (inviteSecretFrom(value) ? undefined : "That is not an invite link."),
  });
  const accepted = await api.acceptInvite(inviteSecretFrom(link) ?? "");
  prompts.log.success(`Joined ${accepted.mesh.slug} as ${accepted.mesh.role}`, io(ctx));
  const synced = await syncMeshes(ctx, api);
  const joined = synced.meshes.find((known) => known.id === accepted.mesh.id && known.api_url === ctx.apiUrl());
  return joined ?? localMeshFrom(accepted.mesh, ctx.apiUrl());
}

/** A free-text step with a default (Enter keeps it). */
function textStep(id: "name" | "role", message: string, fallback: (state: WizardState) => string): WizardStep {
  return {
    id,
    isComplete: (state) => state[id] !== undefined,
    async run(state, ctx) {
      const preset = fallback(state);
      const typed = await ctx.prompts.text({ message, placeholder: preset, defaultValue: preset });
      return { ...state, [id]: typed.trim() || preset };
    },
  };
}

const name = textStep("name", "Your name in the mesh", (state) => state.mesh?.display_name ?? hostname());
const role = textStep("role", "Your role there", (state) => state.mesh?.launch_role ?? state.mesh?.role ?? "member");

/** The screens in order: account → mesh → name → role (then confirm and launch). */
export const WIZARD_STEPS: readonly WizardStep[] = [account, mesh, name, role];
