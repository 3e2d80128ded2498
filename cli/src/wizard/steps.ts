import { hostname } from "node:os";
import * as prompts from "@clack/prompts";
import {
  type ApiClient,
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
import type { Messages } from "../i18n/en.js";
import { LocalizedError } from "../i18n/language.js";
import { syncMeshes } from "../meshes.js";

/** What the wizard knows so far; each step fills one part. */
export interface WizardState {
  user?: User;
  /** An invite chosen on the welcome screen, accepted once signed in. */
  inviteSecret?: string;
  mesh?: LocalMesh;
  name?: string;
  role?: string;
  /** Which of name and role came from `claudemesh launch --name/--role` (shown as such, never asked). */
  fromFlags?: ("name" | "role")[];
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
  const status = await runLogin({ force: true, nextSteps: false, ...options }, ctx);
  const user = status === 0 ? await currentUser(ctx) : undefined;
  if (!user) throw new LocalizedError("auth_required", ctx.t.wizard.signInUnfinished);
  return user;
}

const account: WizardStep = {
  id: "account",
  isComplete: (state) => state.user !== undefined,
  async run(state, ctx) {
    const user = await currentUser(ctx);
    if (user) return { ...state, user };
    const { t } = ctx;
    const choice = await ctx.prompts.select({
      message: t.wizard.welcome,
      options: [
        { value: "browser", label: t.wizard.signIn, hint: t.wizard.signInHint },
        { value: "token", label: t.wizard.pasteToken, hint: "cm_pat_…" },
        { value: "invite", label: t.wizard.joinByInvite },
        { value: "signup", label: t.wizard.signUp, hint: t.wizard.signUpHint },
        { value: "exit", label: t.wizard.exit },
      ],
    });
    if (choice === "exit") throw new LocalizedError("cancelled", t.bye);
    if (choice === "token") {
      const token = await ctx.prompts.secret({
        message: t.wizard.tokenPrompt,
        validate: (value) => (isWellFormedToken(value.trim()) ? undefined : t.wizard.notAToken),
      });
      return { ...state, user: await signIn(ctx, { token: token.trim(), tokenFromPrompt: true }) };
    }
    if (choice === "invite") {
      const link = await askInviteLink(ctx);
      prompts.log.info(t.wizard.signInFirst, io(ctx));
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
    const { t } = ctx;
    // The mesh an invite from the welcome screen led to is where the cursor starts.
    let joinedId: string | undefined;
    if (state.inviteSecret) {
      const accepted = await api.acceptInvite(state.inviteSecret);
      prompts.log.success(t.wizard.joined(accepted.mesh.slug, accepted.mesh.role), io(ctx));
      joinedId = accepted.mesh.id;
    }
    const synced = await syncMeshes(ctx, api);
    const mine = synced.meshes.filter((known) => known.api_url === ctx.apiUrl());
    const picked = await ctx.prompts.select({
      message: mine.length ? t.wizard.pickMesh(mine.length) : t.wizard.noMesh,
      initialValue: mine.some((known) => known.id === joinedId) ? joinedId : undefined,
      options: [
        ...mine.map((known) => ({ value: known.id, label: known.slug, hint: `${known.name} · ${known.role}` })),
        { value: "__create", label: t.wizard.createMesh },
        { value: "__join", label: t.wizard.joinWithLink },
        { value: "__exit", label: t.wizard.exit },
      ],
    });
    if (picked === "__exit") throw new LocalizedError("cancelled", t.bye);
    if (picked === "__join") return { ...state, mesh: await joinByLink(ctx, api) };
    if (picked !== "__create") return { ...state, mesh: mine.find((known) => known.id === picked) };
    const name = await ctx.prompts.text({
      message: t.wizard.nameTheMesh,
      placeholder: t.wizard.meshPlaceholder,
      validate: (value) => (value.trim() ? undefined : t.wizard.meshNeedsName),
    });
    const created = await api.createMesh({ name: name.trim() });
    const local = localMeshFrom(created, ctx.apiUrl());
    await ctx.config().update((config) => ({ ...config, meshes: [...config.meshes, local] }));
    prompts.log.success(t.wizard.created(created.slug), io(ctx));
    return { ...state, mesh: local };
  },
};

/** An invite link, pasted (the welcome screen's and the mesh picker's way to join). */
function askInviteLink(ctx: CliContext): Promise<string> {
  return ctx.prompts.text({
    message: ctx.t.wizard.invitePrompt,
    placeholder: `${ctx.apiUrl()}/invite/…`,
    validate: (value) => (inviteSecretFrom(value) ? undefined : ctx.t.wizard.notAnInvite),
  });
}

/** The mesh an invite link someone sent leads to, joined and saved to config.json. */
async function joinByLink(ctx: CliContext, api: ApiClient): Promise<LocalMesh> {
  const { t } = ctx;
  const link = await askInviteLink(ctx);
  const accepted = await api.acceptInvite(inviteSecretFrom(link) ?? "");
  prompts.log.success(t.wizard.joined(accepted.mesh.slug, accepted.mesh.role), io(ctx));
  const synced = await syncMeshes(ctx, api);
  const joined = synced.meshes.find((known) => known.id === accepted.mesh.id && known.api_url === ctx.apiUrl());
  return joined ?? localMeshFrom(accepted.mesh, ctx.apiUrl());
}

/** A free-text step with a default (Enter keeps it). */
function textStep(
  id: "name" | "role",
  message: (t: Messages) => string,
  fallback: (state: WizardState) => string,
): WizardStep {
  return {
    id,
    isComplete: (state) => state[id] !== undefined,
    async run(state, ctx) {
      const preset = fallback(state);
      const typed = await ctx.prompts.text({ message: message(ctx.t), placeholder: preset, defaultValue: preset });
      return { ...state, [id]: typed.trim() || preset };
    },
  };
}

const name = textStep(
  "name",
  (t) => t.wizard.yourName,
  (state) => state.mesh?.display_name ?? hostname(),
);
const role = textStep(
  "role",
  (t) => t.wizard.yourRole,
  (state) => state.mesh?.launch_role ?? state.mesh?.role ?? "member",
);

/** The screens in order: account → mesh → name → role (then confirm and launch). */
export const WIZARD_STEPS: readonly WizardStep[] = [account, mesh, name, role];
