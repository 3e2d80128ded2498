import type { SecondFactors } from "../accounts/second-factors.js";
import type { MessageKey } from "../i18n/en.js";
import { SITE_ASSETS } from "./assets/site-assets.js";
import { Layout } from "./layout.js";
import type { PageContext } from "./page-context.js";

export const TWO_FACTOR_PATH = "/dashboard/settings/security/two-factor";
export const PASSKEYS_PATH = "/dashboard/settings/security/passkeys";

function ErrorNotice(props: { page: PageContext; error?: MessageKey; id?: string }) {
  if (!props.error) return null;
  return (
    <p class="notice error" role="alert" id={props.id ?? "form-error"}>
      {props.page.t(props.error)}
    </p>
  );
}

/** The passkey buttons' script; only the pages with such a button load it. */
export function PasskeyScript() {
  return <script src={SITE_ASSETS.passkey.path} defer />;
}

/** A `[data-passkey]` button (hidden until the script finds passkey support) and the notice it shows on failure. */
function PasskeyButton(props: {
  action: "sign-in" | "confirm" | "register";
  label: string;
  failed: string;
  data: Record<string, string>;
  primary?: boolean;
}) {
  const errorId = `passkey-error-${props.action}`;
  const data = Object.fromEntries(Object.entries(props.data).map(([key, value]) => [`data-${key}`, value]));
  return (
    <>
      <p class="notice error" role="alert" id={errorId} hidden>
        {props.failed}
      </p>
      <button
        type="button"
        class={props.action === "register" ? undefined : props.primary ? "primary block" : "block"}
        data-passkey={props.action}
        data-error-id={errorId}
        hidden
        {...data}
      >
        {props.label}
      </button>
    </>
  );
}

/** "Sign in with a passkey" under the login form. */
export function PasskeySignIn(props: { page: PageContext; next: string }) {
  const { t } = props.page;
  return (
    <div class="passkey-sign-in">
      <PasskeyButton
        action="sign-in"
        label={t("login.passkey")}
        failed={t("login.passkeyFailed")}
        data={{ next: props.next }}
      />
      <PasskeyScript />
    </div>
  );
}

/**
 * `/confirm?next=…`: GitHub's sudo mode. An account with a passkey or an
 * authenticator app proves itself with those; one without, with its password.
 */
export function ConfirmPage(props: { page: PageContext; next: string; factors: SecondFactors; error?: MessageKey }) {
  const { page, next, factors } = props;
  const { t } = page;
  const hasPasskey = factors.passkeys.length > 0;
  return (
    <Layout page={page} title={t("confirm.title")}>
      <section class="card">
        <h1>{t("confirm.title")}</h1>
        <p class="lead">{t("confirm.lead")}</p>
        <ErrorNotice page={page} error={props.error} />
        {hasPasskey ? (
          <>
            <form id="passkey-form" method="post" action="/confirm/passkey">
              <input type="hidden" name="next" value={next} />
              <input type="hidden" name="assertion" value="" />
            </form>
            <PasskeyButton
              action="confirm"
              label={t("confirm.passkey")}
              failed={t("confirm.passkeyFailed")}
              data={{ form: "passkey-form" }}
              primary
            />
            <PasskeyScript />
          </>
        ) : null}
        {factors.totp ? (
          <form method="post" action="/confirm" aria-describedby={props.error ? "form-error" : undefined}>
            {hasPasskey ? <p class="muted or">{t("confirm.or")}</p> : null}
            <input type="hidden" name="next" value={next} />
            <AuthenticatorCodeField
              label={t("confirm.code")}
              maxLength={BACKUP_OR_TOTP_MAX}
              autofocus={!hasPasskey}
              hint={t("confirm.codeHint")}
            />
            <button type="submit" class="primary block">
              {t("confirm.submit")}
            </button>
          </form>
        ) : null}
        {hasPasskey || factors.totp ? null : (
          <form method="post" action="/confirm" aria-describedby={props.error ? "form-error" : undefined}>
            <input type="hidden" name="next" value={next} />
            <div class="field">
              <label for="password">{t("confirm.password")}</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required autofocus />
            </div>
            <button type="submit" class="primary block">
              {t("confirm.submit")}
            </button>
          </form>
        )}
      </section>
    </Layout>
  );
}

/** Room for a backup code as well as a 6-digit authenticator code. */
const BACKUP_OR_TOTP_MAX = 20;

/** The `code` field every second-factor form has: an authenticator's code (or, where `maxLength` allows, a backup code). */
function AuthenticatorCodeField(props: { label: string; maxLength: number; autofocus?: boolean; hint?: string }) {
  return (
    <div class="field">
      <label for="code">{props.label}</label>
      <input
        id="code"
        name="code"
        type="text"
        inputmode="numeric"
        autocomplete="one-time-code"
        maxlength={props.maxLength}
        required
        autofocus={props.autofocus}
        aria-describedby={props.hint ? "code-hint" : undefined}
      />
      {props.hint ? (
        <p class="hint" id="code-hint">
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

/** `/login/two-factor`: after the right password, the code from the authenticator app (or a backup code). */
export function TwoFactorSignInPage(props: { page: PageContext; next: string; error?: MessageKey; restart?: boolean }) {
  const { page, next } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t("twoFactor.signIn.title")}>
      <section class="card">
        <h1>{t("twoFactor.signIn.title")}</h1>
        <p class="lead">{t("twoFactor.signIn.lead")}</p>
        <ErrorNotice page={page} error={props.error} />
        {props.restart ? (
          <p class="switch-form">
            <a href={`/login?next=${encodeURIComponent(next)}`}>{t("twoFactor.signIn.again")}</a>
          </p>
        ) : (
          <form method="post" action="/login/two-factor" aria-describedby={props.error ? "form-error" : undefined}>
            <input type="hidden" name="next" value={next} />
            <AuthenticatorCodeField label={t("twoFactor.signIn.code")} maxLength={BACKUP_OR_TOTP_MAX} autofocus />
            <button type="submit" class="primary block">
              {t("twoFactor.signIn.submit")}
            </button>
          </form>
        )}
      </section>
    </Layout>
  );
}

/** The secret inside an `otpauth://` URI, for people typing it into their app. */
function secretOf(totpUri: string): string {
  return new URL(totpUri).searchParams.get("secret") ?? "";
}

/**
 * After "Set up an authenticator app": the key (and an `otpauth:` link for a
 * phone), the backup codes, shown this once, and the first code to turn it on.
 */
export function TwoFactorSetupPage(props: {
  page: PageContext;
  totpUri: string;
  backupCodes: string[];
  error?: MessageKey;
}) {
  const { page } = props;
  const { t } = page;
  const secret = secretOf(props.totpUri);
  return (
    <Layout page={page} title={t("security.twoFactor.setup.title")}>
      <section class="card">
        <h1>{t("security.twoFactor.setup.title")}</h1>
        <ErrorNotice page={page} error={props.error} />
        <p>{t("security.twoFactor.setup.step1")}</p>
        <p class="muted">{t("security.twoFactor.setup.secret")}</p>
        <p class="secret-key">
          <code data-testid="totp-secret">{secret}</code>
        </p>
        <p>
          <a class="button small" href={props.totpUri}>
            {t("security.twoFactor.setup.link")}
          </a>
        </p>
        <p>{t("security.twoFactor.setup.backup")}</p>
        <ul class="backup-codes" data-testid="backup-codes">
          {props.backupCodes.map((code) => (
            <li>
              <code>{code}</code>
            </li>
          ))}
        </ul>
        <p>{t("security.twoFactor.setup.step2")}</p>
        <form
          method="post"
          action={`${TWO_FACTOR_PATH}/verify`}
          aria-describedby={props.error ? "form-error" : undefined}
        >
          <AuthenticatorCodeField label={t("security.twoFactor.setup.code")} maxLength={6} />
          <button type="submit" class="primary">
            {t("security.twoFactor.setup.submit")}
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** The security page's two-factor and passkey cards. */
export function SecondFactorSections(props: { page: PageContext; factors: SecondFactors; error?: MessageKey }) {
  const { page, factors } = props;
  const { t } = page;
  const format = new Intl.DateTimeFormat(page.locale, { dateStyle: "medium" });
  return (
    <>
      <section class="card" aria-labelledby="two-factor-title">
        <h2 id="two-factor-title">{t("security.twoFactor.title")}</h2>
        <p class="muted" data-testid="two-factor-status">
          {t(factors.totp ? "security.twoFactor.on" : "security.twoFactor.off")}
        </p>
        <ErrorNotice page={page} error={props.error} id="two-factor-error" />
        <form
          method="post"
          action={`${TWO_FACTOR_PATH}/${factors.totp ? "disable" : "enable"}`}
          aria-describedby={props.error ? "two-factor-error" : undefined}
        >
          <div class="field">
            <label for="two-factor-password">{t("security.twoFactor.passwordLabel")}</label>
            <input id="two-factor-password" name="password" type="password" autocomplete="current-password" required />
          </div>
          <button type="submit" class={factors.totp ? "danger" : "primary"}>
            {t(factors.totp ? "security.twoFactor.disable" : "security.twoFactor.enable")}
          </button>
        </form>
      </section>

      <section class="card" aria-labelledby="passkeys-title">
        <h2 id="passkeys-title">{t("security.passkeys.title")}</h2>
        <p class="muted">{t("security.passkeys.body")}</p>
        {factors.passkeys.length === 0 ? (
          <p data-testid="passkey-count">{t("security.passkeys.none")}</p>
        ) : (
          <ul class="passkey-list" data-testid="passkey-list">
            {factors.passkeys.map((row) => {
              const name = row.name || t("security.passkeys.unnamed");
              return (
                <li>
                  <span>
                    <strong>{name}</strong>
                    {row.createdAt ? (
                      <span class="muted">
                        {" "}
                        · {t("security.passkeys.added", { date: format.format(row.createdAt) })}
                      </span>
                    ) : null}
                  </span>
                  <form method="post" action={`${PASSKEYS_PATH}/${encodeURIComponent(row.id)}/remove`} class="inline">
                    <button type="submit" class="small" aria-label={t("security.passkeys.removeNamed", { name })}>
                      {t("security.passkeys.remove")}
                    </button>
                  </form>
                </li>
              );
            })}
          </ul>
        )}
        <div class="field">
          <label for="passkey-name">{t("security.passkeys.name")}</label>
          <input id="passkey-name" type="text" maxlength={60} autocomplete="off" />
        </div>
        <div class="passkey-add">
          <PasskeyButton
            action="register"
            label={t("security.passkeys.add")}
            failed={t("security.passkeys.failed")}
            data={{ "name-field": "passkey-name", done: "/dashboard/settings/security?done=passkey-added" }}
          />
        </div>
        <PasskeyScript />
      </section>
    </>
  );
}
