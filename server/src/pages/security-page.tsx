import type { SecondFactors } from "../accounts/second-factors.js";
import type { WebSessionRow } from "../accounts/web-sessions.js";
import type { MessageKey } from "../i18n/en.js";
import { browserLabel, compactAddress } from "./browser-label.js";
import { TOKENS_PATH } from "./cli-tokens-page.js";
import { NewPasswordField } from "./form-fields.js";
import { Layout } from "./layout.js";
import { Markup } from "./message-page.js";
import type { PageContext } from "./page-context.js";
import { SecondFactorSections } from "./step-up-pages.js";

export const SECURITY_PATH = "/dashboard/settings/security";

/** A notice at the top of the page, after an action; `count` fills `{count}`. */
export interface SecurityNotice {
  key: MessageKey;
  tone: "ok" | "warn";
  count?: number;
}

/** A button that posts a form with no fields: one click, no script needed. */
function ActionButton(props: { action: string; label: string; danger?: boolean; ariaLabel?: string }) {
  return (
    <form method="post" action={props.action} class="inline">
      <button type="submit" class={props.danger ? "danger small" : "small"} aria-label={props.ariaLabel}>
        {props.label}
      </button>
    </form>
  );
}

/**
 * `/dashboard/settings/security`: change the password (which ends every other
 * session), the browser sessions with this one marked, each revocable, and the
 * personal access tokens a new password does not stop, with "revoke all".
 */
export function SecurityPage(props: {
  page: PageContext;
  sessions: WebSessionRow[];
  patCount: number;
  notices: SecurityNotice[];
  passwordError?: MessageKey;
  secondFactors: SecondFactors;
  secondFactorError?: MessageKey;
}) {
  const { page } = props;
  const { t } = page;
  const format = new Intl.DateTimeFormat(page.locale, { dateStyle: "medium", timeStyle: "short" });
  const when = (date: Date) => <time datetime={date.toISOString()}>{format.format(date)}</time>;
  const currentId = page.viewer?.sessionId;
  const count = String(props.patCount);
  return (
    <Layout page={page} title={t("security.title")} wide>
      <section class="card">
        <h1>{t("security.title")}</h1>
        <p class="lead">{t("security.intro")}</p>
        {props.notices.map((notice) => (
          <p class={`notice ${notice.tone}`} role="status">
            {t(notice.key, { count: String(notice.count ?? 0) })}
          </p>
        ))}
      </section>

      <section class="card" aria-labelledby="password-title">
        <h2 id="password-title">{t("security.password.title")}</h2>
        <p class="muted">
          <Markup text={t("security.password.body")} />
        </p>
        {props.passwordError ? (
          <p class="notice error" role="alert" id="password-error">
            {t(props.passwordError)}
          </p>
        ) : null}
        <form
          method="post"
          action={`${SECURITY_PATH}/password`}
          aria-describedby={props.passwordError ? "password-error" : undefined}
        >
          <div class="field">
            <label for="current-password">{t("security.password.current")}</label>
            <input id="current-password" name="current" type="password" autocomplete="current-password" required />
          </div>
          <NewPasswordField id="new-password" label={t("security.password.new")} hint={t("register.passwordHint")} />
          <button type="submit" class="primary">
            {t("security.password.submit")}
          </button>
        </form>
      </section>

      <SecondFactorSections page={page} factors={props.secondFactors} error={props.secondFactorError} />

      <section class="card" aria-labelledby="browser-sessions-title">
        <h2 id="browser-sessions-title">{t("security.sessions.title")}</h2>
        <p class="muted">{t("security.sessions.body")}</p>
        <table class="responsive" data-testid="browser-session-table">
          <thead>
            <tr>
              <th scope="col">{t("security.col.browser")}</th>
              <th scope="col">{t("security.col.address")}</th>
              <th scope="col">{t("security.col.signedIn")}</th>
              <th scope="col">{t("security.col.lastActive")}</th>
              <th scope="col">
                <span class="skip">{t("tokens.col.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.sessions.map((row) => {
              const browser = browserLabel(row.userAgent) ?? t("security.sessions.unknown");
              const current = row.id === currentId;
              return (
                <tr data-current={current ? "true" : undefined}>
                  <td data-label={t("security.col.browser")}>
                    <span>
                      <strong>{browser}</strong>
                      {current ? <span class="badge">{t("security.sessions.current")}</span> : null}
                    </span>
                  </td>
                  <td data-label={t("security.col.address")}>
                    <span class="address">{row.ipAddress ? compactAddress(row.ipAddress) : "—"}</span>
                  </td>
                  <td data-label={t("security.col.signedIn")}>{when(row.createdAt)}</td>
                  <td data-label={t("security.col.lastActive")}>{when(row.updatedAt)}</td>
                  <td class="actions-cell">
                    {current ? null : (
                      <ActionButton
                        action={`${SECURITY_PATH}/sessions/${row.id}/revoke`}
                        label={t("security.sessions.revoke")}
                        ariaLabel={t("security.sessions.revokeNamed", { browser })}
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {props.sessions.length > 1 ? (
          <div class="actions start">
            <ActionButton
              action={`${SECURITY_PATH}/other-sessions/revoke`}
              label={t("security.sessions.others")}
              danger
            />
          </div>
        ) : null}
      </section>

      <section class="card" aria-labelledby="security-tokens-title">
        <h2 id="security-tokens-title">{t("security.tokens.title")}</h2>
        <p class="muted">{t("security.tokens.body")}</p>
        <p data-testid="pat-count">{t("security.tokens.count", { count })}</p>
        <div class="actions start">
          {props.patCount > 0 ? (
            <ActionButton action={`${SECURITY_PATH}/tokens/revoke-all`} label={t("security.tokens.revokeAll")} danger />
          ) : null}
          <a class="button small" href={TOKENS_PATH}>
            {t("security.tokens.manage")}
          </a>
        </div>
      </section>
    </Layout>
  );
}
