import type { InviteRole } from "@claudemesh/sdk/contracts";
import { Layout } from "./layout.js";
import type { PageContext } from "./page-context.js";

/** `/invite/:secret`: the mesh an invite joins, with one button to accept it. */
export function InvitePage(props: {
  page: PageContext;
  action: string;
  mesh: { name: string; slug: string };
  role: InviteRole;
  invitedBy: string | null;
  expiresAt: Date;
}) {
  const { page, mesh } = props;
  const { t } = page;
  const date = new Intl.DateTimeFormat(page.locale, { dateStyle: "medium" });
  return (
    <Layout page={page} title={t("invite.title", { mesh: mesh.name })}>
      <section class="card" aria-labelledby="invite-title">
        <h1 id="invite-title">{t("invite.title", { mesh: mesh.name })}</h1>
        <p class="lead">
          {props.invitedBy
            ? t("invite.body", { inviter: props.invitedBy, mesh: mesh.name })
            : t("invite.bodyNoInviter", { mesh: mesh.name })}
        </p>
        <dl class="facts">
          <dt>{t("invite.role")}</dt>
          <dd>{t(`role.${props.role}`)}</dd>
          <dt>{t("invite.expires")}</dt>
          <dd>
            <time datetime={props.expiresAt.toISOString()}>{date.format(props.expiresAt)}</time>
          </dd>
          {page.viewer ? (
            <>
              <dt>{t("invite.account")}</dt>
              <dd>{page.viewer.email}</dd>
            </>
          ) : null}
        </dl>
        <form method="post" action={props.action}>
          <button type="submit" class="primary block">
            {t("invite.accept")}
          </button>
        </form>
      </section>
    </Layout>
  );
}
