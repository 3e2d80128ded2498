import type { MessageKey } from "../i18n/en.js";
import { EmailField, NewPasswordField } from "./form-fields.js";
import { Layout } from "./layout.js";
import { Markup } from "./message-page.js";
import type { PageContext } from "./page-context.js";
import { PasskeySignIn } from "./step-up-pages.js";

function ErrorNotice(props: { page: PageContext; error?: MessageKey }) {
  if (!props.error) return null;
  return (
    <p class="notice error" role="alert" id="form-error">
      {props.page.t(props.error)}
    </p>
  );
}

/** `/login`: email and password, carrying `next` through. */
export function LoginPage(props: {
  page: PageContext;
  next: string;
  email?: string;
  error?: MessageKey;
  notice?: MessageKey;
}) {
  const { page, next } = props;
  const { t } = page;
  const forCli = next.startsWith("/cli-auth");
  return (
    <Layout page={page} title={t("login.title")}>
      <section class="card">
        <h1>{t("login.title")}</h1>
        {forCli ? <p class="lead">{t("login.forCli")}</p> : null}
        {props.notice ? (
          <p class="notice ok" role="status">
            {t(props.notice)}
          </p>
        ) : null}
        <ErrorNotice page={page} error={props.error} />
        <form method="post" action="/login" aria-describedby={props.error ? "form-error" : undefined}>
          <input type="hidden" name="next" value={next} />
          <EmailField label={t("login.email")} autocomplete="username" value={props.email} autofocus={!props.email} />
          <div class="field">
            <label for="password">{t("login.password")}</label>
            <input
              id="password"
              name="password"
              type="password"
              autocomplete="current-password"
              required
              autofocus={Boolean(props.email)}
            />
          </div>
          <button type="submit" class="primary block">
            {t("login.submit")}
          </button>
        </form>
        <PasskeySignIn page={page} next={next} />
        <p class="switch-form">
          <a href="/forgot-password">{t("login.forgot")}</a>
        </p>
        <p class="switch-form">
          {t("login.noAccount")} <a href={`/register?next=${encodeURIComponent(next)}`}>{t("login.register")}</a>
        </p>
      </section>
    </Layout>
  );
}

/** `/register`: name, email, password; signs in on success. */
export function RegisterPage(props: {
  page: PageContext;
  next: string;
  name?: string;
  email?: string;
  error?: MessageKey;
}) {
  const { page, next } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t("register.title")}>
      <section class="card">
        <h1>{t("register.title")}</h1>
        {next.startsWith("/cli-auth") ? <p class="lead">{t("login.forCli")}</p> : null}
        <ErrorNotice page={page} error={props.error} />
        <form method="post" action="/register" aria-describedby={props.error ? "form-error" : undefined}>
          <input type="hidden" name="next" value={next} />
          <div class="field">
            <label for="name">{t("register.name")}</label>
            <input id="name" name="name" type="text" autocomplete="name" required value={props.name ?? ""} autofocus />
          </div>
          <EmailField label={t("register.email")} autocomplete="email" value={props.email} />
          <NewPasswordField id="password" label={t("register.password")} hint={t("register.passwordHint")} />
          <button type="submit" class="primary block">
            {t("register.submit")}
          </button>
        </form>
        <p class="switch-form">
          {t("register.haveAccount")} <a href={`/login?next=${encodeURIComponent(next)}`}>{t("register.signIn")}</a>
        </p>
      </section>
    </Layout>
  );
}

/** `GET /logout`: signing out is a POST (a link elsewhere must not sign anyone out), so ask first. */
export function SignOutPage(props: { page: PageContext }) {
  const { page } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t("logout.title")}>
      <section class="card">
        <h1>{t("logout.title")}</h1>
        <p class="muted">
          <Markup text={t("logout.body")} />
        </p>
        <div class="actions">
          <a class="button" href="/">
            {t("logout.cancel")}
          </a>
          <form method="post" action="/logout">
            <button type="submit" class="primary">
              {t("logout.submit")}
            </button>
          </form>
        </div>
      </section>
    </Layout>
  );
}

/** `/forgot-password`: the address to send a reset link to. */
export function ForgotPasswordPage(props: { page: PageContext; email?: string; error?: MessageKey }) {
  const { page } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t("forgot.title")}>
      <section class="card">
        <h1>{t("forgot.title")}</h1>
        <p class="lead">{t("forgot.body")}</p>
        <ErrorNotice page={page} error={props.error} />
        <form method="post" action="/forgot-password" aria-describedby={props.error ? "form-error" : undefined}>
          <EmailField label={t("forgot.email")} autocomplete="username" value={props.email} autofocus />
          <button type="submit" class="primary block">
            {t("forgot.submit")}
          </button>
        </form>
        <p class="switch-form">
          <a href="/login">{t("reset.done.signIn")}</a>
        </p>
      </section>
    </Layout>
  );
}

/** `/reset-password?token=…`: the new password, posted with the link's token. */
export function ResetPasswordPage(props: { page: PageContext; token: string; error?: MessageKey }) {
  const { page } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t("reset.title")}>
      <section class="card">
        <h1>{t("reset.title")}</h1>
        <p class="lead">{t("reset.body")}</p>
        <ErrorNotice page={page} error={props.error} />
        <form method="post" action="/reset-password" aria-describedby={props.error ? "form-error" : undefined}>
          <input type="hidden" name="token" value={props.token} />
          <NewPasswordField id="password" label={t("reset.password")} hint={t("register.passwordHint")} autofocus />
          <button type="submit" class="primary block">
            {t("reset.submit")}
          </button>
        </form>
      </section>
    </Layout>
  );
}
