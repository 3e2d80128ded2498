import { type GrantState, type InviteRole, type Mesh, type MeshRole, neutralText } from "@claudemesh/sdk/contracts";
import type { MessageKey } from "../i18n/en.js";
import { Layout } from "./layout.js";
import { Markup } from "./message-page.js";
import type { PageContext } from "./page-context.js";
import { ShownOnce } from "./shown-once.js";

export const MESHES_PATH = "/dashboard/meshes";

/** Where one mesh's page lives: by slug, which people read and type. */
export const meshPath = (slug: string) => `${MESHES_PATH}/${encodeURIComponent(slug)}`;

/** How long a link made on the mesh page works: form value → seconds and label. */
export const INVITE_LIFETIMES = [
  { value: "1", seconds: 24 * 60 * 60, label: "mesh.new.day1" },
  { value: "7", seconds: 7 * 24 * 60 * 60, label: "mesh.new.days7" },
  { value: "30", seconds: 30 * 24 * 60 * 60, label: "mesh.new.days30" },
] as const satisfies readonly { value: string; seconds: number; label: MessageKey }[];

export interface PendingInvite {
  id: string;
  /** The address it was sent to, masked; null when it is a link for anyone who has it. */
  sentTo: string | null;
  role: InviteRole;
  invitedBy: string | null;
  expiresAt: Date;
}

export interface MeshMemberRow {
  id: string;
  name: string;
  email: string;
  role: MeshRole;
  joinedAt: Date;
  /** From the broker's presence: online while a visible session of theirs is connected. */
  online: boolean;
  lastSeenAt: string | null;
  /** What the viewer lets them do (the viewer's grants); null on the viewer's own row. */
  grant: GrantState | null;
}

const GRANT_LABELS = {
  allowed: "mesh.grant.allowed",
  dm: "mesh.grant.dm",
  broadcast: "mesh.grant.broadcast",
  blocked: "mesh.grant.blocked",
} as const satisfies Record<GrantState, MessageKey>;

const canInvite = (role: MeshRole) => role !== "member";

function formatter(page: PageContext) {
  const format = new Intl.DateTimeFormat(page.locale, { dateStyle: "medium" });
  return (date: Date) => <time datetime={date.toISOString()}>{format.format(date)}</time>;
}

/** `/dashboard/meshes`: every mesh the viewer is in, with their role, members and pending invites. */
export function MeshesPage(props: { page: PageContext; meshes: Mesh[]; pendingInvites: Map<string, number> }) {
  const { page } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t("meshes.title")} wide>
      <section class="card" aria-labelledby="meshes-title">
        <h1 id="meshes-title">{t("meshes.title")}</h1>
        <p class="lead">
          <Markup text={t("meshes.intro")} />
        </p>
        {props.meshes.length === 0 ? (
          <p class="empty">
            <Markup text={t("meshes.empty")} />
          </p>
        ) : (
          <table class="responsive" data-testid="mesh-table">
            <thead>
              <tr>
                <th scope="col">{t("meshes.col.name")}</th>
                <th scope="col">{t("meshes.col.role")}</th>
                <th scope="col">{t("meshes.col.members")}</th>
                <th scope="col">{t("meshes.col.invites")}</th>
              </tr>
            </thead>
            <tbody>
              {props.meshes.map((mesh) => (
                <tr>
                  <td data-label={t("meshes.col.name")}>
                    <span>
                      <a href={meshPath(mesh.slug)}>
                        <strong>{neutralText(mesh.name)}</strong>
                      </a>{" "}
                      <code>{mesh.slug}</code>
                    </span>
                  </td>
                  <td data-label={t("meshes.col.role")}>{t(`role.${mesh.role}`)}</td>
                  <td data-label={t("meshes.col.members")}>{mesh.member_count}</td>
                  <td data-label={t("meshes.col.invites")}>
                    {canInvite(mesh.role) ? (props.pendingInvites.get(mesh.id) ?? 0) : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}

/**
 * `/dashboard/meshes/:slug`: the members, and for owners and admins the
 * pending invites (each can be withdrawn) and a form that makes a new link,
 * shown once after the post.
 */
export function MeshPage(props: {
  page: PageContext;
  mesh: Mesh;
  members: MeshMemberRow[];
  invites: PendingInvite[];
  created?: { url: string };
  done?: MessageKey;
}) {
  const { page, mesh } = props;
  const { t } = page;
  const date = formatter(page);
  const name = neutralText(mesh.name);
  const here = meshPath(mesh.slug);
  return (
    <Layout page={page} title={name} wide>
      <section class="card">
        <p>
          <a href={MESHES_PATH}>← {t("mesh.back")}</a>
        </p>
        <h1>
          {name} <code>{mesh.slug}</code>
        </h1>
        <p class="lead">{t("mesh.yourRole", { role: t(`role.${mesh.role}`) })}</p>
        {props.done ? (
          <p class="notice ok" role="status">
            {t(props.done)}
          </p>
        ) : null}
        {props.created ? (
          <ShownOnce
            t={t}
            testId="new-invite"
            fieldId="new-invite-url"
            title={t("mesh.created.title", { mesh: mesh.slug })}
            body={t("mesh.created.body")}
            label={t("mesh.created.label")}
            value={props.created.url}
          />
        ) : null}
      </section>

      <section class="card" aria-labelledby="members-title">
        <h2 id="members-title">{t("mesh.members.title", { count: String(props.members.length) })}</h2>
        <table class="responsive" data-testid="member-table">
          <thead>
            <tr>
              <th scope="col">{t("mesh.col.person")}</th>
              <th scope="col">{t("mesh.col.role")}</th>
              <th scope="col">{t("mesh.col.joined")}</th>
              <th scope="col">{t("mesh.col.presence")}</th>
              <th scope="col">{t("mesh.col.grant")}</th>
              <th scope="col">
                <span class="skip">{t("tokens.col.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.members.map((member) => {
              const who = neutralText(member.name);
              const blocked = member.grant === "blocked";
              return (
                <tr data-member={member.id}>
                  <td data-label={t("mesh.col.person")}>
                    <span class="wrap">
                      <strong>{who}</strong>
                      <br />
                      <span class="muted">{member.email}</span>
                    </span>
                  </td>
                  <td data-label={t("mesh.col.role")}>{t(`role.${member.role}`)}</td>
                  <td data-label={t("mesh.col.joined")}>{date(member.joinedAt)}</td>
                  <td data-label={t("mesh.col.presence")}>
                    {member.online ? (
                      <strong>{t("mesh.presence.online")}</strong>
                    ) : member.lastSeenAt ? (
                      <span class="muted">
                        {t("mesh.presence.lastSeen")} {date(new Date(member.lastSeenAt))}
                      </span>
                    ) : (
                      <span class="muted">{t("mesh.presence.never")}</span>
                    )}
                  </td>
                  <td data-label={t("mesh.col.grant")}>
                    {member.grant ? t(GRANT_LABELS[member.grant]) : <span class="muted">{t("mesh.grant.you")}</span>}
                  </td>
                  <td class="actions-cell">
                    {member.grant ? (
                      <form
                        method="post"
                        action={`${here}/members/${encodeURIComponent(member.id)}/${blocked ? "unblock" : "block"}`}
                        class="inline"
                      >
                        <button
                          type="submit"
                          class={blocked ? "small" : "small danger"}
                          aria-label={t(blocked ? "mesh.grant.unblockNamed" : "mesh.grant.blockNamed", { who })}
                        >
                          {t(blocked ? "mesh.grant.unblock" : "mesh.grant.block")}
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p class="muted">{t("mesh.grant.help")}</p>
      </section>

      {canInvite(mesh.role) ? (
        <section class="card" aria-labelledby="invites-title">
          <h2 id="invites-title">{t("mesh.invites.title")}</h2>
          <p class="muted">{t("mesh.invites.body")}</p>
          {props.invites.length === 0 ? (
            <p class="empty">{t("mesh.invites.empty")}</p>
          ) : (
            <table class="responsive" data-testid="invite-table">
              <thead>
                <tr>
                  <th scope="col">{t("mesh.col.for")}</th>
                  <th scope="col">{t("mesh.col.role")}</th>
                  <th scope="col">{t("mesh.col.invitedBy")}</th>
                  <th scope="col">{t("mesh.col.expires")}</th>
                  <th scope="col">
                    <span class="skip">{t("tokens.col.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {props.invites.map((invite) => {
                  const who = invite.sentTo ?? t("mesh.invites.anyone");
                  return (
                    <tr>
                      <td data-label={t("mesh.col.for")}>{who}</td>
                      <td data-label={t("mesh.col.role")}>{t(`role.${invite.role}`)}</td>
                      <td data-label={t("mesh.col.invitedBy")}>
                        {invite.invitedBy ? neutralText(invite.invitedBy) : "—"}
                      </td>
                      <td data-label={t("mesh.col.expires")}>{date(invite.expiresAt)}</td>
                      <td class="actions-cell">
                        <form method="post" action={`${here}/invites/${invite.id}/revoke`} class="inline">
                          <button type="submit" class="small" aria-label={t("mesh.invites.revokeNamed", { who })}>
                            {t("mesh.invites.revoke")}
                          </button>
                        </form>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}

          <h2 id="new-invite-title" class="new-token-title">
            {t("mesh.new.title")}
          </h2>
          <form method="post" action={`${here}/invites`} class="new-token" aria-labelledby="new-invite-title">
            <div class="field">
              <label for="invite-role">{t("mesh.new.role")}</label>
              <select id="invite-role" name="role">
                <option value="member" selected>
                  {t("role.member")}
                </option>
                <option value="admin">{t("role.admin")}</option>
              </select>
            </div>
            <div class="field">
              <label for="invite-expiry">{t("mesh.new.expiry")}</label>
              <select id="invite-expiry" name="expiry">
                {INVITE_LIFETIMES.map((choice) => (
                  <option value={choice.value} selected={choice.value === "7"}>
                    {t(choice.label)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" class="primary">
              {t("mesh.new.submit")}
            </button>
          </form>
        </section>
      ) : (
        <section class="card">
          <p class="muted">{t("mesh.memberOnly")}</p>
        </section>
      )}
    </Layout>
  );
}
